package io.sluice.runtime.operator;

/**
 * Record counts of one operator in one subtask. Written only by the task thread (plain fields: no cost on the
 * hot path); read by the progress reporter, which may see slightly stale values.
 */
public final class OperatorCounters {
    public long recordsIn;
    public long recordsOut;
    /**
     * The watermark at the operator's input (a chain's head: from its channels; written once per watermark change,
     * not per record); {@link Long#MIN_VALUE} before the first.
     */
    public volatile long inputWatermark = Long.MIN_VALUE;
    /**
     * Bytes of the subtask's state in the latest checkpoint it acknowledged: its keyed state (key-group blocks, or the
     * backend's files the snapshot names, shared files included) plus its operator state's elements; -1 before its
     * first. Written by the checkpoint writer thread once per checkpoint, after the acknowledgement.
     */
    public volatile long stateSizeBytes = -1;
    /** The times of the task the operator runs in; set before the task starts. */
    public volatile TaskTimes times = new TaskTimes();
}
