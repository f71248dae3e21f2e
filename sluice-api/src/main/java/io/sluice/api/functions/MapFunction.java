package io.sluice.api.functions;

/** Transforms each record into exactly one record. */
@FunctionalInterface
public interface MapFunction<T, R> extends Function {
    R map(T value) throws Exception;
}
