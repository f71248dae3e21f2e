package io.sluice.api.functions;

/**
 * Receives the records a function emits. Valid only during the call it was passed to; calls go straight to
 * the next operator, so {@code collect} may take as long as downstream processing (backpressure).
 */
public interface Collector<T> {
    void collect(T record);
}
