package io.sluice.api.aggregation;

import java.io.Serializable;

/**
 * Combines two values of one key into one. Should be associative; must not modify its arguments.
 *
 * <p>A plain reduction without a life cycle: a reducing state's reducer is only ever asked to {@link #reduce}, never
 * opened or closed. {@link io.sluice.api.functions.ReduceFunction} is a reducer with the life cycle of a user function,
 * for keyed and windowed reduce.
 */
@FunctionalInterface
public interface Reducer<T> extends Serializable {
    T reduce(T accumulated, T value) throws Exception;
}
