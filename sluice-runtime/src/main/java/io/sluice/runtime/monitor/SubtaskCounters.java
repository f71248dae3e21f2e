package io.sluice.runtime.monitor;

/**
 * The cumulative counters of one operator subtask, read from the fields its task thread writes (per batch, never
 * per record). Rates and ratios are differences of two readings.
 *
 * @param subtask            its index, from 0
 * @param recordsIn          records the operator received (a source: those it emitted)
 * @param recordsOut         records it emitted
 * @param idleNanos          time its task waited for input
 * @param backpressuredNanos time its task waited for room in a full output channel
 * @param elapsedNanos       time since its task started (busy = elapsed - idle - backpressured)
 * @param inputWatermark     the watermark at its input ({@link Long#MIN_VALUE}: none yet)
 * @param stateSizeBytes     bytes of its state in the latest checkpoint it acknowledged (keyed state, the backend's
 *                           files it names included, plus operator state); -1 before its first
 */
public record SubtaskCounters(int subtask, long recordsIn, long recordsOut, long idleNanos, long backpressuredNanos,
        long elapsedNanos, long inputWatermark, long stateSizeBytes) {

    /** Counters without a state size (-1). */
    public SubtaskCounters(int subtask, long recordsIn, long recordsOut, long idleNanos, long backpressuredNanos,
            long elapsedNanos, long inputWatermark) {
        this(subtask, recordsIn, recordsOut, idleNanos, backpressuredNanos, elapsedNanos, inputWatermark, -1);
    }
}
