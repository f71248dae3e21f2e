package io.sluice.bench;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.assigners.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * A tumbling event-time window count per key at parallelism 1, beside the same work as a plain Java loop (a HashMap
 * of counts per key, flushed when a window ends). Records are the numbers 0..N-1; key = n % keys; event time =
 * n / recordsPerMilli, so timestamps ascend and each 1 s window holds {@code recordsPerMilli × 1000 / keys} records
 * per key. Loop and engine alternate; medians are printed. Reported, never asserted.
 *
 * <p>Usage: {@code bin/sluice bench window [records] [rounds] [keys]} (defaults 20,000,000, 5, 10,000).
 */
public final class WindowBenchmark {
    private static final long RECORDS_PER_MILLI = 100;
    private static final long WINDOW_MILLIS = 1000;

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int keys = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        System.out.printf(Locale.ROOT, "tumbling 1 s event-time window count, %,d keys, %,d records, %d rounds, %d records/ms of event time%n",
                keys, records, rounds, RECORDS_PER_MILLI);
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, max heap %d MiB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        runLoop(records / 4, keys);
        runEngine(records / 4, keys);
        List<Double> loop = new ArrayList<>();
        List<Double> engine = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            loop.add(runLoop(records, keys));
            engine.add(runEngine(records, keys));
            System.out.printf(Locale.ROOT, "round %d: loop %,.0f rec/s  engine p=1 %,.0f rec/s%n", r + 1, loop.getLast(), engine.getLast());
        }
        double l = PipelineBenchmark.median(loop);
        double e = PipelineBenchmark.median(engine);
        System.out.printf(Locale.ROOT, "RESULT window loop_rps=%.0f engine_p1_rps=%.0f ratio=%.2f%n", l, e, e / l);
    }

    /** The same work without an engine: counts per key, emitted and cleared whenever a window ends. */
    static double runLoop(long records, int keys) {
        long start = System.nanoTime();
        HashMap<Long, Long> counts = new HashMap<>();
        long windowEnd = WINDOW_MILLIS;
        long checksum = 0;
        for (long n = 0; n < records; n++) {
            long timestamp = n / RECORDS_PER_MILLI;
            if (timestamp >= windowEnd) {
                for (long c : counts.values()) {
                    checksum += c;
                }
                counts.clear();
                windowEnd = (timestamp / WINDOW_MILLIS + 1) * WINDOW_MILLIS;
            }
            counts.merge(n % keys, 1L, Long::sum);
        }
        for (long c : counts.values()) {
            checksum += c;
        }
        if (checksum != records) {
            throw new IllegalStateException("loop lost records: " + checksum);
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }

    static double runEngine(long records, int keys) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        CountingSink sink = new CountingSink();
        env.generateSequence(0, records - 1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((n, ts) -> n / RECORDS_PER_MILLI))
                .keyBy(n -> n % keys)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW_MILLIS)))
                .aggregate(new Count(), Types.LONG, Types.LONG)
                .sinkTo(sink).name("Sum");
        JobResult result = env.execute("window-count");
        return records / (result.duration().toNanos() / 1e9);
    }

    /** Counts records: the accumulator is the count. */
    static final class Count implements AggregateFunction<Long, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long value, Long accumulator) {
            return accumulator + 1;
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /** Sums the window counts and checks that every record was counted once. */
    static final class CountingSink implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(SinkContext context) {
            return new SinkWriter<>() {
                long total;

                @Override
                public void write(Long count) {
                    total += count;
                }

                @Override
                public void close() {
                    if (total == 0) {
                        System.out.print(""); // keeps the sum alive
                    }
                }
            };
        }
    }

}
