package io.sluice.examples;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.StreamSink;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.types.Types;
import io.sluice.connectors.kafka.sink.DeliveryGuarantee;
import io.sluice.connectors.kafka.sink.KafkaRecordSerializer;
import io.sluice.connectors.kafka.sink.KafkaSink;
import io.sluice.connectors.kafka.source.KafkaDeserializer;
import io.sluice.connectors.kafka.source.KafkaSource;
import io.sluice.connectors.kafka.source.StartingOffsets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The running word counts of {@link RunningCounts}, from and to Kafka (the built-in example {@code kafka-counts}): each
 * input record's value is a line; for every word occurrence the output topic gets a record with the word as key and
 * {@code word<TAB>n} as value, n being that word's running count. With exactly-once checkpoints a read_committed
 * consumer sees, for each word seen N times, the values n = 1..N, each exactly once, through failures and resumes.
 */
public final class KafkaRunningCounts {
    private KafkaRunningCounts() {}

    /** The input: the topic's lines, from the group's committed offsets (earliest without) on a fresh start. */
    public static KafkaSource<String> source(String bootstrapServers, String inputTopic, String groupId) {
        KafkaSource.Builder<String> b = KafkaSource.builder().bootstrapServers(bootstrapServers).topics(inputTopic)
                .valueDeserializer(KafkaDeserializer.utf8());
        if (groupId != null) {
            b.groupId(groupId).startingOffsets(StartingOffsets.committed()).commitOffsets(true);
        }
        return b.build();
    }

    /**
     * The output: exactly-once, transactional ids {@code sluice-kafka-counts-<topic>-<subtask>-<n>};
     * {@code expectedRecovery} is checkpoint interval + timeout + restart delay, for the transaction timeout warning.
     */
    public static KafkaSink<String> sink(String bootstrapServers, String outputTopic, DeliveryGuarantee guarantee,
            Duration expectedRecovery) {
        return sinkBuilder(bootstrapServers, outputTopic, guarantee, expectedRecovery).build();
    }

    /** The builder of {@link #sink}, for more producer settings ({@code KafkaSink.Builder.producerProperty}). */
    public static KafkaSink.Builder<String> sinkBuilder(String bootstrapServers, String outputTopic,
            DeliveryGuarantee guarantee, Duration expectedRecovery) {
        return KafkaSink.<String>builder().bootstrapServers(bootstrapServers).deliveryGuarantee(guarantee)
                .transactionalIdPrefix("sluice-kafka-counts-" + outputTopic).expectedRecoveryTime(expectedRecovery)
                .recordSerializer(KafkaRecordSerializer.toTopic(outputTopic,
                        line -> line.substring(0, line.indexOf('\t')).getBytes(StandardCharsets.UTF_8),
                        line -> line.getBytes(StandardCharsets.UTF_8)));
    }

    /** Adds the job to {@code env}: {@code source} -> split words -> running count per word -> {@code sink}. */
    public static StreamSink define(StreamEnvironment env, KafkaSource<String> source, TwoPhaseCommitSink<String, ?> sink,
            String sinkName) {
        return env.fromSource(source, "Read Kafka").uid("read")
                .flatMap(Words::split, Types.STRING).name("Split words").uid("split")
                .keyBy(w -> w, Types.STRING)
                .process(new RunningCounts.Count(), Types.STRING).name("Count").uid("count")
                .sinkTo(sink).name(sinkName).uid("write");
    }
}
