package io.sluice.runtime.operator;

/**
 * Record counts of one operator in one subtask. Written only by the task thread (plain fields: no cost on the
 * hot path); read by the progress reporter, which may see slightly stale values.
 */
public final class OperatorCounters {
    public long recordsIn;
    public long recordsOut;
}
