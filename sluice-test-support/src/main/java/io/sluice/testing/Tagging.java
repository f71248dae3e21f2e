package io.sluice.testing;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.RuntimeContext;

/**
 * Adapters that run a user function on the values of {@link Tagged} records and give each output the tag of the
 * record it was made from, so the function itself stays as it is in the job under test. The adapters pass
 * {@code open} and {@code close} on. Stateless.
 */
public final class Tagging {
    private Tagging() {}

    /** {@code function} applied to the value; the tag stays. */
    public static <T, R> MapFunction<Tagged<T>, Tagged<R>> map(MapFunction<T, R> function) {
        return new TaggedMap<>(function);
    }

    /**
     * {@code function} on a keyed stream of tagged records: everything it emits while processing a record carries that
     * record's tag. It must emit exactly one record per input for the verifier (more are duplicates, none is a loss);
     * output from timers has no source record and fails the job, naming the function.
     */
    public static <K, T, R> KeyedProcessFunction<K, Tagged<T>, Tagged<R>> process(KeyedProcessFunction<K, T, R> function) {
        return new TaggedKeyedProcess<>(function);
    }

    private record TaggedMap<T, R>(MapFunction<T, R> function) implements MapFunction<Tagged<T>, Tagged<R>> {
        @Override
        public void open(RuntimeContext context) throws Exception {
            function.open(context);
        }

        @Override
        public Tagged<R> map(Tagged<T> record) throws Exception {
            return record.withValue(function.map(record.value()));
        }

        @Override
        public void close() throws Exception {
            function.close();
        }
    }

    private record TaggedKeyedProcess<K, T, R>(KeyedProcessFunction<K, T, R> function)
            implements KeyedProcessFunction<K, Tagged<T>, Tagged<R>> {
        @Override
        public void open(RuntimeContext context) throws Exception {
            function.open(context);
        }

        @Override
        public void processElement(Tagged<T> record, Context<K> context, Collector<Tagged<R>> out) throws Exception {
            function.processElement(record.value(), context, value -> out.collect(record.withValue(value)));
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext<K> context, Collector<Tagged<R>> out) throws Exception {
            function.onTimer(timestamp, context, value -> {
                throw new IllegalStateException(function.getClass().getName() + " emitted " + value + " from a timer: "
                        + "output made by timers has no source record to be tagged with (keep it out of the verified stream)");
            });
        }

        @Override
        public void close() throws Exception {
            function.close();
        }
    }
}
