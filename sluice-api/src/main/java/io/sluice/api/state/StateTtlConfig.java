package io.sluice.api.state;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Time to live of keyed state entries, in processing time. An expired entry is never returned; it is removed when
 * next accessed and when a snapshot is written (incremental RocksDB snapshots keep the files as they are, and drop
 * what had expired at the snapshot when they are restored).
 *
 * @param timeToLive how long an entry lives after its last update (or access, see {@code updateType})
 * @param updateType what renews an entry's time
 */
public record StateTtlConfig(Duration timeToLive, UpdateType updateType) implements Serializable {

    /** What renews an entry's time to live. */
    public enum UpdateType {
        /** Creating and writing an entry renew it; reading does not. */
        ON_CREATE_AND_WRITE,
        /** Reading renews it too. */
        ON_READ_AND_WRITE
    }

    public StateTtlConfig {
        Objects.requireNonNull(timeToLive, "timeToLive");
        Objects.requireNonNull(updateType, "updateType");
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("time to live must be positive, was " + timeToLive);
        }
    }

    /** Entries live {@code timeToLive} after being created or written. */
    public static StateTtlConfig of(Duration timeToLive) {
        return new StateTtlConfig(timeToLive, UpdateType.ON_CREATE_AND_WRITE);
    }

    /** The same, also renewed when read. */
    public StateTtlConfig updateOnReadAndWrite() {
        return new StateTtlConfig(timeToLive, UpdateType.ON_READ_AND_WRITE);
    }
}
