package io.sluice.runtime.operator;

/**
 * The runtime side of one operator in one subtask. Users never implement this: they write functions, which
 * operators wrap.
 *
 * <h2>Threading</h2>
 * Every method runs on the task's thread, one call at a time: never two calls at once, never one from another thread.
 * Processing-time callbacks ({@link OperatorSetup#processingTime()}) also run on the task thread, between the calls
 * below. Only the asynchronous part of a checkpoint (writing the state captured after {@link #snapshotState}) runs
 * elsewhere, and it never calls the operator. So an operator needs no synchronization of its own.
 *
 * <h2>Call order</h2>
 * <ol>
 *   <li>The state is restored first, into the backends the {@link OperatorSetup} hands over, before the operator sees
 *       them. Then {@link #open}, once. In a chain the last operator opens first, so each is open before the operator
 *       in front of it can emit to it.</li>
 *   <li>Then, any number of times and interleaved as the input has them: records ({@link OneInputOperator#processRecord}
 *       or {@link TwoInputOperator#processRecord1}/{@link TwoInputOperator#processRecord2}), {@link #processWatermark}
 *       (never smaller than the one before; event-time timers fire inside it), {@link #processWatermarkStatus},
 *       {@link #snapshotState} when a checkpoint's barrier has reached the operator (aligned on every input in
 *       exactly-once mode; checkpoint ids increase), and {@link #notifyCheckpointComplete} between records, for a
 *       checkpoint the operator took part in (one notice may stand for several).</li>
 *   <li>{@link #endInput}, once, when every input has ended (bounded jobs): after the final watermark
 *       {@link Long#MAX_VALUE}, and in chain order, the head first, so what an operator emits at its end reaches the
 *       next one before that one's end. No record, watermark, checkpoint or notice follows it.</li>
 *   <li>{@link #close}, once, last, always: after {@code endInput}, or after a failure or cancellation at any point
 *       before, also when {@code open} failed or was never called (another operator of the chain failed to open).
 *       Chained operators close in chain order.</li>
 * </ol>
 * An exception from any method fails the task; the job then restarts from its latest checkpoint with new operator
 * instances, or fails.
 */
public interface StreamOperator {

    /** Acquires what the operator needs (user function, state handles, writers); restored state is readable here. */
    void open(OperatorSetup setup) throws Exception;

    /** The operator's watermark advanced to {@code watermark} (never called with a smaller one). */
    void processWatermark(long watermark) throws Exception;

    /**
     * The operator's input became idle ({@code true}: its watermark will not move for a while, and whatever combines it
     * with other inputs should skip it) or active again. Operators that emit watermarks pass it on; ignored by default.
     */
    default void processWatermarkStatus(boolean idle) throws Exception {}

    /** All input ended (after the final watermark): emit what is still held. Not called after a failure. */
    default void endInput() throws Exception {}

    /**
     * A checkpoint's barrier reached this operator: prepare the state it captures (the synchronous part; a
     * transactional sink pre-commits here). The runtime captures keyed and operator state right after.
     */
    default void snapshotState(long checkpointId) throws Exception {}

    /**
     * Checkpoint {@code checkpointId} (and every earlier one) is complete: its side effects may become visible. Not
     * every checkpoint is announced (a newer notice covers older ones), and a notice may come late, after later
     * barriers.
     */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    /**
     * Releases what {@link #open} acquired; the last call. Also called after a failure, and on an operator whose
     * {@code open} failed or never ran: release only what exists.
     */
    void close() throws Exception;
}
