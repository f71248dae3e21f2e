package io.sluice.connectors.kafka.source;

import java.io.Serializable;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** Where a bounded source stops reading each partition (exclusive): the job then finishes. */
public sealed interface StoppingOffsets extends Serializable {

    /** The end of each partition when the job starts (the last stable offset for read_committed). */
    static StoppingOffsets latest() {
        return new Latest();
    }

    /** Given offsets; a partition not in the map is read to its end at the start. */
    static StoppingOffsets explicit(Map<TopicPartition, Long> offsets) {
        return new Explicit(Map.copyOf(offsets));
    }

    record Latest() implements StoppingOffsets {}

    record Explicit(Map<TopicPartition, Long> offsets) implements StoppingOffsets {}
}
