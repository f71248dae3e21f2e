package io.sluice.testing;

import io.sluice.api.functions.AggregateFunction;
import io.sluice.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Count, sum and maximum of longs, with a <em>mutable</em> accumulator ({@link Stats}, one {@code long[]}) that
 * {@link #add} and {@link #merge} change in place and return: the case copy-on-write snapshots must guard against.
 */
final class StatsAggregate implements AggregateFunction<Long, StatsAggregate.Stats, StatsAggregate.Summary> {

    /** The accumulator: {@code v[0]} count, {@code v[1]} sum, {@code v[2]} max. Mutable on purpose. */
    record Stats(long[] v) {}

    /** The result, comparable by value. */
    record Summary(long count, long sum, long max) {
        /** The oracle: the summary of {@code values} computed afresh. */
        static Summary of(List<Long> values) {
            if (values.isEmpty()) {
                return null;
            }
            return new Summary(values.size(), values.stream().mapToLong(Long::longValue).sum(),
                    values.stream().mapToLong(Long::longValue).max().orElseThrow());
        }
    }

    /** Writes the three longs. */
    static final class StatsSerializer implements TypeSerializer<Stats> {
        static final StatsSerializer INSTANCE = new StatsSerializer();

        @Override
        public void serialize(Stats value, DataOutput out) throws IOException {
            for (long x : value.v()) {
                out.writeLong(x);
            }
        }

        @Override
        public Stats deserialize(DataInput in) throws IOException {
            return new Stats(new long[] {in.readLong(), in.readLong(), in.readLong()});
        }

        @Override
        public String typeName() {
            return "Stats";
        }
    }

    @Override
    public Stats createAccumulator() {
        return new Stats(new long[] {0, 0, Long.MIN_VALUE});
    }

    @Override
    public Stats add(Long value, Stats acc) {
        acc.v()[0]++;
        acc.v()[1] += value;
        acc.v()[2] = Math.max(acc.v()[2], value);
        return acc;
    }

    @Override
    public Summary getResult(Stats acc) {
        return new Summary(acc.v()[0], acc.v()[1], acc.v()[2]);
    }

    @Override
    public Stats merge(Stats a, Stats b) {
        a.v()[0] += b.v()[0];
        a.v()[1] += b.v()[1];
        a.v()[2] = Math.max(a.v()[2], b.v()[2]);
        return a;
    }
}
