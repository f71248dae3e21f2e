package io.sluice.api.functions;

/** Combines two values of one key into one. Should be associative; must not modify its arguments. */
@FunctionalInterface
public interface ReduceFunction<T> extends Function {
    T reduce(T accumulated, T value) throws Exception;
}
