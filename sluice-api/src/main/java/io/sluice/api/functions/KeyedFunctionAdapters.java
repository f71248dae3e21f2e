package io.sluice.api.functions;

/**
 * Runs a map, flatMap or filter function on a keyed stream as a keyed process function, so the function's
 * {@code open(RuntimeContext)} gets keyed state scoped to the current record's key. The user function's life cycle
 * ({@code open}, {@code close}) is passed through.
 */
public final class KeyedFunctionAdapters {
    private KeyedFunctionAdapters() {}

    public static <K, T, R> KeyedProcessFunction<K, T, R> map(MapFunction<T, R> function) {
        return new MapAdapter<>(function);
    }

    public static <K, T, R> KeyedProcessFunction<K, T, R> flatMap(FlatMapFunction<T, R> function) {
        return new FlatMapAdapter<>(function);
    }

    public static <K, T> KeyedProcessFunction<K, T, T> filter(FilterFunction<T> function) {
        return new FilterAdapter<>(function);
    }

    /** The wrapped function of an adapter, or {@code function} itself. */
    public static Object unwrap(Object function) {
        return function instanceof Adapter<?> a ? a.inner() : function;
    }

    private interface Adapter<F extends Function> {
        F inner();
    }

    private record MapAdapter<K, T, R>(MapFunction<T, R> inner) implements KeyedProcessFunction<K, T, R>, Adapter<MapFunction<T, R>> {
        @Override
        public void open(RuntimeContext context) throws Exception {
            inner.open(context);
        }

        @Override
        public void close() throws Exception {
            inner.close();
        }

        @Override
        public void processElement(T value, Context<K> context, Collector<R> out) throws Exception {
            out.collect(inner.map(value));
        }
    }

    private record FlatMapAdapter<K, T, R>(FlatMapFunction<T, R> inner)
            implements KeyedProcessFunction<K, T, R>, Adapter<FlatMapFunction<T, R>> {
        @Override
        public void open(RuntimeContext context) throws Exception {
            inner.open(context);
        }

        @Override
        public void close() throws Exception {
            inner.close();
        }

        @Override
        public void processElement(T value, Context<K> context, Collector<R> out) throws Exception {
            inner.flatMap(value, out);
        }
    }

    private record FilterAdapter<K, T>(FilterFunction<T> inner) implements KeyedProcessFunction<K, T, T>, Adapter<FilterFunction<T>> {
        @Override
        public void open(RuntimeContext context) throws Exception {
            inner.open(context);
        }

        @Override
        public void close() throws Exception {
            inner.close();
        }

        @Override
        public void processElement(T value, Context<K> context, Collector<T> out) throws Exception {
            if (inner.filter(value)) {
                out.collect(value);
            }
        }
    }
}
