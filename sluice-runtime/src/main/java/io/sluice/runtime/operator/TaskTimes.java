package io.sluice.runtime.operator;

/**
 * Where one task's time went: waiting for input (idle) and waiting for room in a full output channel
 * (backpressured); the rest since {@link #startNanos} is busy. Shared by the operators of the task's chain. Written
 * only by the task thread, once per wait (a park, a full channel), never per record (plain fields); read by monitoring,
 * which may see slightly stale values.
 */
public final class TaskTimes {
    /** When the task's thread started ({@link System#nanoTime()}); 0 before. */
    public volatile long startNanos;
    public long idleNanos;
    public long backpressuredNanos;
}
