package io.sluice.connectors.kafka.source;

import io.sluice.api.source.SourceSplit;
import org.apache.kafka.common.TopicPartition;

/**
 * One topic partition and the offset of the next record to read from it: the split a reader checkpoints. The
 * {@code stoppingOffset} (exclusive) ends the split in a bounded source; {@link #NO_STOP} reads on forever.
 *
 * @param offset the next offset to read (a resolved offset, never a symbolic "earliest")
 */
public record KafkaPartitionSplit(String topic, int partition, long offset, long stoppingOffset) implements SourceSplit {
    public static final long NO_STOP = -1;

    public KafkaPartitionSplit {
        if (offset < 0) {
            throw new IllegalArgumentException("split " + topic + "-" + partition + ": offset " + offset + " < 0");
        }
    }

    @Override
    public String splitId() {
        return id(topic, partition);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    public KafkaPartitionSplit at(long nextOffset) {
        return new KafkaPartitionSplit(topic, partition, nextOffset, stoppingOffset);
    }

    static String id(String topic, int partition) {
        return topic + "-" + partition;
    }
}
