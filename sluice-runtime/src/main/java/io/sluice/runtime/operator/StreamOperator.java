package io.sluice.runtime.operator;

/**
 * The runtime side of one operator in one subtask. Users never implement this: they write functions, which
 * operators wrap. Every method runs on the task's thread.
 *
 * <p>Call order: {@link #open}; then records and watermarks (subclass methods and {@link #processWatermark});
 * {@link #endInput} once all inputs ended (bounded jobs); {@link #close} always, last, also after a failure.
 */
public interface StreamOperator {

    void open(OperatorSetup setup) throws Exception;

    /** The operator's watermark advanced to {@code watermark} (never called with a smaller one). */
    void processWatermark(long watermark) throws Exception;

    /**
     * The operator's input became idle ({@code true}: its watermark will not move for a while, and whatever combines it
     * with other inputs should skip it) or active again. Operators that emit watermarks pass it on; ignored by default.
     */
    default void processWatermarkStatus(boolean idle) throws Exception {}

    /** All input ended; emit what is still held. */
    default void endInput() throws Exception {}

    /**
     * A checkpoint's barrier reached this operator: prepare the state it captures (the synchronous part; a
     * transactional sink pre-commits here). The runtime captures keyed and operator state right after.
     */
    default void snapshotState(long checkpointId) throws Exception {}

    /** Checkpoint {@code checkpointId} (and every earlier one) is complete: its side effects may become visible. */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    void close() throws Exception;
}
