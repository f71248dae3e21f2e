package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.connectors.kafka.sink.DeliveryGuarantee;
import io.sluice.examples.KafkaRunningCounts;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice run kafka-counts --bootstrap-servers HOST:PORT --input-topic IN --output-topic OUT [--group-id G]}:
 * the running word counts of {@code counts}, from and to Kafka, exactly-once with {@code --checkpoint-interval}.
 */
@Command(name = "kafka-counts", description = "Reads lines from a Kafka topic and writes 'word<TAB>n' (key: the word) "
        + "for every word occurrence to another, exactly-once with --checkpoint-interval; runs until stopped.")
final class KafkaCountsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "The Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--input-topic", required = true, paramLabel = "IN", description = "The topic of input lines.")
    String inputTopic;

    @Option(names = "--output-topic", required = true, paramLabel = "OUT", description = "The topic of the counts.")
    String outputTopic;

    @Option(names = "--group-id", paramLabel = "G", description = "A consumer group: a fresh start reads from its "
            + "committed offsets, and checkpointed offsets are committed to it (for monitoring).")
    String groupId;

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
        var settings = options.settings();
        StreamEnvironment env = StreamEnvironment.create(settings);
        CheckpointConfig checkpoints = settings.checkpointing();
        DeliveryGuarantee guarantee = checkpoints == null ? DeliveryGuarantee.NONE
                : checkpoints.mode() == CheckpointConfig.Mode.EXACTLY_ONCE ? DeliveryGuarantee.EXACTLY_ONCE
                : DeliveryGuarantee.AT_LEAST_ONCE;
        // What a transaction may have to wait through: a checkpoint interval, its timeout, a restart (the delay and
        // a minute to notice and redeploy).
        Duration recovery = checkpoints == null ? Duration.ZERO
                : checkpoints.interval().plus(checkpoints.timeout()).plus(Duration.ofMinutes(1));
        KafkaRunningCounts.define(env, KafkaRunningCounts.source(bootstrapServers, inputTopic, groupId),
                KafkaRunningCounts.sink(bootstrapServers, outputTopic, guarantee, recovery), "Write " + outputTopic);
        JobResult result = JobRunner.execute(env, "kafka-counts", options);
        System.out.println(JobSummary.format(result));
        return 0;
    }
}
