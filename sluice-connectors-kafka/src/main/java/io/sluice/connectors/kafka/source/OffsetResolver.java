package io.sluice.connectors.kafka.source;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Turns symbolic starting and stopping offsets into numbers, through the admin client. Coordinator thread. */
final class OffsetResolver {
    private static final long TIMEOUT_SECONDS = 60;

    private final Admin admin;
    private final KafkaSource.Settings settings;
    private final String operator;

    OffsetResolver(Admin admin, KafkaSource.Settings settings, String operator) {
        this.admin = admin;
        this.settings = settings;
        this.operator = operator;
    }

    Map<TopicPartition, Long> starting(Set<TopicPartition> partitions, StartingOffsets spec) {
        return switch (spec) {
            case StartingOffsets.Earliest e -> list(partitions, OffsetSpec.earliest());
            case StartingOffsets.Latest l -> list(partitions, OffsetSpec.latest());
            case StartingOffsets.Timestamp t -> {
                Map<TopicPartition, Long> at = list(partitions, OffsetSpec.forTimestamp(t.epochMillis()));
                Map<TopicPartition, Long> end = list(partitions, OffsetSpec.latest());
                at.replaceAll((tp, offset) -> offset < 0 ? end.get(tp) : offset); // no record that late: the end
                yield at;
            }
            case StartingOffsets.Committed c -> withEarliest(partitions, committed(partitions));
            case StartingOffsets.Explicit x -> withEarliest(partitions, x.offsets());
        };
    }

    Map<TopicPartition, Long> stopping(Set<TopicPartition> partitions, StoppingOffsets spec) {
        Map<TopicPartition, Long> end = list(partitions, OffsetSpec.latest());
        if (spec instanceof StoppingOffsets.Explicit x) {
            for (TopicPartition tp : partitions) {
                Long given = x.offsets().get(tp);
                if (given != null) {
                    end.put(tp, given);
                }
            }
        }
        return end;
    }

    private Map<TopicPartition, Long> withEarliest(Set<TopicPartition> partitions, Map<TopicPartition, Long> given) {
        Map<TopicPartition, Long> earliest = list(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long offset = given.get(tp);
            out.put(tp, offset == null ? earliest.get(tp) : Math.max(offset, earliest.get(tp)));
        }
        return out;
    }

    private Map<TopicPartition, Long> committed(Set<TopicPartition> partitions) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(settings.groupId())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null && partitions.contains(tp)) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        } catch (Exception e) {
            throw failure("the committed offsets of group '" + settings.groupId() + "'", e);
        }
    }

    private Map<TopicPartition, Long> list(Set<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        // Stop where a read_committed reader can get to: the last stable offset, not past an open transaction.
        IsolationLevel isolation = "read_uncommitted".equals(settings.consumer().get("isolation.level"))
                ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.READ_COMMITTED;
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin
                    .listOffsets(request, new ListOffsetsOptions(isolation)).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            result.forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            throw failure("offsets (" + spec.getClass().getSimpleName() + ") of " + partitions, e);
        }
    }

    private IllegalStateException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("Kafka source '" + operator + "': cannot read " + what + " at "
                + settings.bootstrapServers() + ": " + e, e);
    }
}
