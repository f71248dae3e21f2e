package io.sluice.api.functions;

/** Keeps the records for which {@link #filter} returns {@code true}. */
@FunctionalInterface
public interface FilterFunction<T> extends Function {
    boolean filter(T value) throws Exception;
}
