package io.sluice.runtime.operator;

/**
 * An operator with two inputs. Call order and threading as in {@link StreamOperator}: records of both inputs come
 * between {@code open} and {@code endInput}, on the task thread, one call at a time, in no defined order between the
 * two inputs (each input's own records in their order). {@link #processWatermark} gets the smaller of the two inputs'
 * watermarks (an idle input not counted); {@code snapshotState} comes once the barrier has arrived on both inputs
 * (exactly-once mode holds back the input whose barrier came first, so no record after a barrier precedes it); and
 * {@code endInput} once both inputs have ended.
 */
public interface TwoInputOperator<A, B> extends StreamOperator {
    /** A record of the first input; {@code timestamp} is {@link Long#MIN_VALUE} if it has none. */
    void processRecord1(A record, long timestamp) throws Exception;

    /** A record of the second input; {@code timestamp} is {@link Long#MIN_VALUE} if it has none. */
    void processRecord2(B record, long timestamp) throws Exception;
}
