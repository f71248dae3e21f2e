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
    /** The times of the task the operator runs in; set before the task starts. */
    public volatile TaskTimes times = new TaskTimes();
}
