package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.types.TypeSerializer;
import io.sluice.connectors.kafka.KafkaBrokerExtension;
import io.sluice.connectors.kafka.sink.DeliveryGuarantee;
import io.sluice.connectors.kafka.sink.KafkaSink;
import io.sluice.connectors.kafka.sink.KafkaTransaction;
import io.sluice.connectors.kafka.source.KafkaDeserializer;
import io.sluice.connectors.kafka.source.KafkaSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kafka-counts job end to end on a real broker, with failures injected in a user function (the deserializer),
 * during the sink's snapshot (pre-commit), between a checkpoint's completion and the commit, and right after a commit:
 * one of each per seed, 3 seeds, 12 failures. A read_committed consumer then reads the output topic; the oracle is the
 * input the test wrote: for every word seen N times, the values n = 1..N, each exactly once. At the end a
 * read_committed consumer must reach the log end: no transaction left open. With at-least-once nothing may be lost
 * (duplicates are counted and allowed).
 */
class KafkaCountsExactlyOnceTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** The failures still to inject, by kind; static: the job runs in this JVM. */
    private static final AtomicInteger IN_FUNCTION = new AtomicInteger();
    private static final AtomicInteger IN_SNAPSHOT = new AtomicInteger();
    private static final AtomicInteger BEFORE_COMMIT = new AtomicInteger();
    private static final AtomicInteger AFTER_COMMIT = new AtomicInteger();
    private static final AtomicInteger LINES = new AtomicInteger();
    private static final AtomicInteger PRE_COMMITS = new AtomicInteger();
    private static final AtomicInteger COMMITS = new AtomicInteger();
    private static volatile int functionFailAt;
    private static volatile int snapshotFailAt;
    private static volatile int beforeCommitFailAt;
    private static volatile int afterCommitFailAt;


    @ParameterizedTest(name = "exactly-once, seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void exactlyOnceThroughInjectedFailures(long seed, @TempDir Path dir) throws Exception {
        run(seed, dir, DeliveryGuarantee.EXACTLY_ONCE);
    }

    @ParameterizedTest(name = "at-least-once, seed {0}")
    @ValueSource(longs = {4})
    void atLeastOnceLosesNothing(long seed, @TempDir Path dir) throws Exception {
        run(seed, dir, DeliveryGuarantee.AT_LEAST_ONCE);
    }

    private void run(long seed, Path dir, DeliveryGuarantee guarantee) throws Exception {
        Random random = new Random(seed);
        String in = "counts-in-" + seed + "-" + guarantee;
        String out = "counts-out-" + seed + "-" + guarantee;
        KAFKA.kafka().createTopic(in, 3);
        KAFKA.kafka().createTopic(out, 2);
        Map<String, Integer> expected = new TreeMap<>();
        KafkaCountsOracle.writeInput(KAFKA.kafka(), in, random, 3000, expected);
        LINES.set(0);
        PRE_COMMITS.set(0);
        COMMITS.set(0);
        IN_FUNCTION.set(1);
        IN_SNAPSHOT.set(1);
        BEFORE_COMMIT.set(1);
        AFTER_COMMIT.set(1);
        functionFailAt = 500 + random.nextInt(2000);
        snapshotFailAt = 2 + random.nextInt(4);
        beforeCommitFailAt = 2 + random.nextInt(4);
        afterCommitFailAt = 2 + random.nextInt(4);
        String context = "seed " + seed + " (" + guarantee + "; failures at line " + functionFailAt + ", pre-commit "
                + snapshotFailAt + ", before commit " + beforeCommitFailAt + ", after commit " + afterCommitFailAt + ")";

        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(200))
                        .withDirectory(dir.resolve("ckp").toString()))
                .setRestartStrategy(RestartStrategy.fixedDelay(30, Duration.ofMillis(50)));
        KafkaSource<String> source = KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(in)
                .valueDeserializer(new FailingLines()).build();
        KafkaSink<String> sink = KafkaRunningCounts.sink(KAFKA.kafka().bootstrap(), out, guarantee, Duration.ofMinutes(1));
        KafkaRunningCounts.define(env, source, new FailingSink(sink), "Write Kafka");
        JobClient job = env.executeAsync("kafka-counts " + context);
        long total = KafkaCountsOracle.total(expected);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (KAFKA.kafka().readCommittedSoFar(out).size() < total) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(context + ": only " + KAFKA.kafka().readCommittedSoFar(out).size() + " of "
                            + total + " outputs committed after 120 s");
                }
                Thread.sleep(200);
            }
            Thread.sleep(500); // a duplicate committed late would show
        } finally {
            job.cancel();
            try {
                job.await();
            } catch (JobExecutionException cancelled) {
                // expected
            }
        }
        // At-least-once has no transactions: only the function's failure applies there.
        boolean exact = guarantee == DeliveryGuarantee.EXACTLY_ONCE;
        for (AtomicInteger left : exact ? List.of(IN_FUNCTION, IN_SNAPSHOT, BEFORE_COMMIT, AFTER_COMMIT)
                : List.of(IN_FUNCTION)) {
            assertTrue(left.get() <= 0, context + ": every failure was injected");
        }
        List<ConsumerRecord<byte[], byte[]>> output = KAFKA.kafka().readAll(out, "read_committed", Duration.ofSeconds(30));
        KafkaCountsOracle.check(context, expected, output, exact);
    }

    /** UTF-8 lines; throws once, at the {@code functionFailAt}-th line read in this JVM (or the first after it). */
    private static final class FailingLines implements KafkaDeserializer<String> {
        private final KafkaDeserializer<String> utf8 = KafkaDeserializer.utf8();

        @Override
        public String deserialize(byte[] value) throws Exception {
            int line = LINES.incrementAndGet();
            if (line >= functionFailAt && IN_FUNCTION.getAndDecrement() > 0) {
                throw new IllegalStateException("injected failure in a function");
            }
            if (line % 4 == 0) {
                Thread.sleep(5); // spreads the input over many checkpoints, so that every failure gets its chance
            }
            return utf8.deserialize(value);
        }

        @Override
        public TypeSerializer<String> producedType() {
            return utf8.producedType();
        }
    }

    /** The Kafka sink, failing once in a pre-commit, once before a commit and once right after one. */
    private record FailingSink(KafkaSink<String> sink) implements TwoPhaseCommitSink<String, KafkaTransaction> {
        @Override
        public TransactionalWriter<String, KafkaTransaction> createWriter(SinkContext context) throws Exception {
            TransactionalWriter<String, KafkaTransaction> w = sink.createWriter(context);
            return new TransactionalWriter<>() {
                @Override
                public void recover(List<KafkaTransaction> committedByCheckpoint) throws Exception {
                    w.recover(committedByCheckpoint);
                }

                @Override
                public KafkaTransaction preCommit(long checkpointId) throws Exception {
                    KafkaTransaction tx = w.preCommit(checkpointId);
                    if (tx != null && PRE_COMMITS.incrementAndGet() >= snapshotFailAt
                            && IN_SNAPSHOT.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected failure during the snapshot");
                    }
                    return tx;
                }

                @Override
                public void commit(KafkaTransaction transaction) throws Exception {
                    int n = COMMITS.incrementAndGet();
                    if (n >= beforeCommitFailAt && BEFORE_COMMIT.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected failure between completion and commit");
                    }
                    w.commit(transaction);
                    if (n >= afterCommitFailAt && BEFORE_COMMIT.get() <= 0 && AFTER_COMMIT.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected failure during the commit");
                    }
                }

                @Override
                public void write(String record) throws Exception {
                    w.write(record);
                }

                @Override
                public void close() throws Exception {
                    w.close();
                }
            };
        }
    }
}
