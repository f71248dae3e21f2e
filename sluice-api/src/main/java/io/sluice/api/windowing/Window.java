package io.sluice.api.windowing;

/**
 * A group of records of one key that a window function sees together. Windows are values: two windows are the same
 * window when they are {@code equals} (they name a key's window state and timers), so implementations must define
 * {@code equals} and {@code hashCode} (records do) and be immutable. Built-ins: {@link TimeWindow} and
 * {@link GlobalWindow}; a custom {@link WindowAssigner} may define its own window type and its serializer.
 */
public interface Window {

    /** The largest timestamp that still belongs to the window; an event-time window fires when the watermark passes it. */
    long maxTimestamp();
}
