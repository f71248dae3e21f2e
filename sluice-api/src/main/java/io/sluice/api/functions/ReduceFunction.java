package io.sluice.api.functions;

import io.sluice.api.aggregation.Reducer;

/**
 * A {@link Reducer} that is also a user function: keyed and windowed reduce open it before the first record and close
 * it after the last ({@link Function}).
 */
@FunctionalInterface
public interface ReduceFunction<T> extends Function, Reducer<T> {}
