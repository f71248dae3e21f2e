package io.sluice.api.eventtime;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a stream gets event time: which timestamp each record has, how watermarks are generated from the records, and
 * after how long a silent input stops holding the watermark back. Given to
 * {@code StreamEnvironment.fromSource(source, strategy, name)} (watermarks are then generated per source split) or to
 * {@code DataStream.assignTimestampsAndWatermarks(strategy)}.
 *
 * <pre>{@code
 * WatermarkStrategy.<Bid>forBoundedOutOfOrderness(Duration.ofSeconds(5))
 *         .withTimestampAssigner((bid, ts) -> bid.time())
 *         .withIdleness(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>An immutable value: the fluent methods return a new strategy. Part of the job graph, hence {@link Serializable};
 * the assigner and generator supplier it holds must be serializable too (lambdas of these interfaces are). Each
 * subtask works with its own copy, on its task thread.
 */
public final class WatermarkStrategy<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final WatermarkGeneratorSupplier<T> generatorSupplier;
    /** {@code null}: records keep the timestamp they have. */
    private final TimestampAssigner<T> timestampAssigner;
    /** {@code null}: an input never becomes idle by silence. */
    private final Duration idleness;

    private WatermarkStrategy(WatermarkGeneratorSupplier<T> generatorSupplier, TimestampAssigner<T> timestampAssigner,
            Duration idleness) {
        this.generatorSupplier = generatorSupplier;
        this.timestampAssigner = timestampAssigner;
        this.idleness = idleness;
    }

    /**
     * Periodic watermarks for records at most {@code maxOutOfOrderness} out of order: the watermark is the largest
     * timestamp seen minus the bound minus 1 ms, emitted every {@code JobConfig.autoWatermarkIntervalMillis}.
     */
    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration maxOutOfOrderness) {
        Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("maxOutOfOrderness must not be negative, was " + maxOutOfOrderness);
        }
        return new WatermarkStrategy<>(new BoundedSupplier<>(millis(maxOutOfOrderness)), null, null);
    }

    /** Periodic watermarks for ascending timestamps: {@link #forBoundedOutOfOrderness} with a bound of 0. */
    public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
        return forBoundedOutOfOrderness(Duration.ZERO);
    }

    /** Watermarks from your own generator; {@code supplier} creates one per input (split or subtask). */
    public static <T> WatermarkStrategy<T> forGenerator(WatermarkGeneratorSupplier<T> supplier) {
        return new WatermarkStrategy<>(Objects.requireNonNull(supplier, "supplier"), null, null);
    }

    /**
     * No watermarks (only the final one when a bounded input ends). The default of {@code fromSource(source, name)}.
     * Timestamps can still be assigned with {@link #withTimestampAssigner}.
     */
    public static <T> WatermarkStrategy<T> noWatermarks() {
        return new WatermarkStrategy<>(new NoWatermarksSupplier<>(), null, null);
    }

    /** This strategy, with records' timestamps taken from {@code assigner}. */
    public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> assigner) {
        return new WatermarkStrategy<>(generatorSupplier, Objects.requireNonNull(assigner, "assigner"), idleness);
    }

    /**
     * This strategy, with an input (a split, a subtask's input) that emitted no record and no advancing watermark
     * for {@code timeout} of processing time marked idle: it stops holding back the watermark downstream until it
     * emits again. The check runs with the periodic emission, so idleness is noticed up to one interval late.
     */
    public WatermarkStrategy<T> withIdleness(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the idleness timeout must be positive, was " + timeout);
        }
        return new WatermarkStrategy<>(generatorSupplier, timestampAssigner, timeout);
    }

    /** A fresh generator, for one input. */
    public WatermarkGenerator<T> createWatermarkGenerator() {
        return generatorSupplier.createWatermarkGenerator();
    }

    /** The timestamp assigner, if one was set; without one, records keep the timestamp they have. */
    public Optional<TimestampAssigner<T>> timestampAssigner() {
        return Optional.ofNullable(timestampAssigner);
    }

    /** The idleness timeout, if one was set. */
    public Optional<Duration> idleness() {
        return Optional.ofNullable(idleness);
    }

    /**
     * Whether this strategy does nothing at all: no watermarks, no timestamp assigner, no idleness. The runtime then
     * passes records through untouched.
     */
    public boolean isPassThrough() {
        return generatorSupplier instanceof NoWatermarksSupplier && timestampAssigner == null && idleness == null;
    }

    @Override
    public String toString() {
        return "WatermarkStrategy[" + generatorSupplier + (timestampAssigner != null ? ", with timestamp assigner" : "")
                + (idleness != null ? ", idleness " + idleness : "") + "]";
    }

    private static long millis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private record BoundedSupplier<T>(long boundMillis) implements WatermarkGeneratorSupplier<T> {
        @Override
        public WatermarkGenerator<T> createWatermarkGenerator() {
            return new BoundedOutOfOrdernessWatermarks<>(boundMillis);
        }

        @Override
        public String toString() {
            return "bounded out-of-orderness " + boundMillis + " ms";
        }
    }

    private record NoWatermarksSupplier<T>() implements WatermarkGeneratorSupplier<T> {
        @Override
        public WatermarkGenerator<T> createWatermarkGenerator() {
            return new WatermarkGenerator<>() {
                @Override
                public void onEvent(T event, long timestamp, WatermarkOutput output) {}

                @Override
                public void onPeriodicEmit(WatermarkOutput output) {}
            };
        }

        @Override
        public String toString() {
            return "no watermarks";
        }
    }
}
