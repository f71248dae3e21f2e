package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;

/**
 * A job whose keyed state grows with its input: {@code run io.sluice.cli.LargeStateJob KEYS VALUE_BYTES} stores a
 * value of VALUE_BYTES bytes for each of KEYS keys (so about KEYS * (8 + VALUE_BYTES) bytes of state) and emits the
 * number of keys it saw, once, at the end. Run with {@code --state-backend rocksdb}.
 */
public final class LargeStateJob {
    private LargeStateJob() {}

    public static void main(String[] args) throws Exception {
        long keys = Long.parseLong(args[0]);
        int valueBytes = Integer.parseInt(args[1]);
        StreamEnvironment env = StreamEnvironment.create();
        env.generateSequence(1, keys)
                .keyBy(x -> x, Types.LONG)
                .process(new Store(valueBytes), Types.LONG)
                .sinkTo(new io.sluice.api.sink.DiscardingSink<>());
        env.execute("large state");
    }

    /** Keeps one value per key; the value's bytes vary with the key so that RocksDB cannot compress them away. */
    static final class Store implements KeyedProcessFunction<Long, Long, Long> {
        private final int valueBytes;
        private transient ValueState<String> value;

        Store(int valueBytes) {
            this.valueBytes = valueBytes;
        }

        @Override
        public void open(RuntimeContext context) {
            value = context.getState(new ValueStateDescriptor<>("value", Types.STRING, ""));
        }

        @Override
        public void processElement(Long key, Context<Long> ctx, Collector<Long> out) {
            StringBuilder sb = new StringBuilder(valueBytes);
            long x = key * 0x9E3779B97F4A7C15L;
            while (sb.length() < valueBytes) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                sb.append((char) ('a' + (int) ((x >>> 58) & 15)));
            }
            value.update(sb.toString());
        }
    }
}
