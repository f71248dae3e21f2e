package io.sluice.api.windowing;

/**
 * A window element with its event-time timestamp, as an {@link Evictor} sees it.
 *
 * @param value     the record
 * @param timestamp its timestamp ({@link Long#MIN_VALUE} if it has none)
 */
public record TimestampedValue<T>(T value, long timestamp) {
    public boolean hasTimestamp() {
        return timestamp != Long.MIN_VALUE;
    }
}
