package io.sluice.runtime.operator;

/**
 * Where an operator's emitted records go: the next operator of the chain (a direct call) or the channels to
 * another task. Task thread only.
 */
public interface RecordTarget {

    void accept(Object record, long timestamp);

    void acceptWatermark(long watermark);

    /** The producing task became idle ({@code true}) or active again ({@code false}). Ignored by default. */
    default void acceptWatermarkStatus(boolean idle) {}
}
