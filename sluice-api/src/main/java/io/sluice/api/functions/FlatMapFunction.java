package io.sluice.api.functions;

/** Transforms each record into zero or more records, emitted through {@code out}. */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends Function {
    void flatMap(T value, Collector<R> out) throws Exception;
}
