package io.sluice.testing;

/**
 * A record an operator emitted, with the timestamp it carried ({@link Long#MIN_VALUE}: none).
 *
 * @param value     the record
 * @param timestamp its timestamp
 */
public record Timestamped<T>(T value, long timestamp) {

    @Override
    public String toString() {
        return timestamp == Long.MIN_VALUE ? value + "@-" : value + "@" + timestamp;
    }
}
