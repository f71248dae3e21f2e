package io.sluice.connectors.kafka.source;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a fresh start reads each partition from. A restore never uses it: restored offsets come from the checkpoint
 * only. Partitions discovered after the start read from their earliest offset (they are new; nothing may be skipped).
 */
public sealed interface StartingOffsets extends Serializable {

    /** The first offset still in the log. */
    static StartingOffsets earliest() {
        return new Earliest();
    }

    /** The end of the log at the start: only records written later are read. */
    static StartingOffsets latest() {
        return new Latest();
    }

    /** The consumer group's committed offsets (the builder's group id); partitions without one start at earliest. */
    static StartingOffsets committed() {
        return new Committed();
    }

    /** The first record with a timestamp at or after {@code epochMillis}; the end of the log if there is none. */
    static StartingOffsets timestamp(long epochMillis) {
        return new Timestamp(epochMillis);
    }

    /** Given offsets; partitions not in the map start at earliest. */
    static StartingOffsets explicit(Map<TopicPartition, Long> offsets) {
        return new Explicit(Map.copyOf(offsets));
    }

    record Earliest() implements StartingOffsets {}

    record Latest() implements StartingOffsets {}

    record Committed() implements StartingOffsets {}

    record Timestamp(long epochMillis) implements StartingOffsets {}

    record Explicit(Map<TopicPartition, Long> offsets) implements StartingOffsets {
        public Explicit {
            Objects.requireNonNull(offsets, "offsets");
        }
    }
}
