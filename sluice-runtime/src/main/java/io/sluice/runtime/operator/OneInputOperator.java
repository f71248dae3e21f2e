package io.sluice.runtime.operator;

/**
 * An operator with one input. Call order and threading as in {@link StreamOperator}: records come between
 * {@code open} and {@code endInput}, on the task thread, one call at a time, interleaved with watermarks, barriers'
 * {@code snapshotState} and completion notices in the order the input delivers them.
 */
public interface OneInputOperator<IN> extends StreamOperator {
    /**
     * One record of the input.
     *
     * @param timestamp its event time, or {@link Long#MIN_VALUE} if it has none
     */
    void processRecord(IN record, long timestamp) throws Exception;
}
