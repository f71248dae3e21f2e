package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kafka-counts job through the exactly-once Kafka sink, recovering from what its own restart strategy does not
 * cover: a resume at another parallelism (2 -> 3 and 3 -> 2 sink subtasks) from the checkpoint a failed run left, and
 * the broker killed with SIGKILL and restarted on its ports and log directory while the job runs. Each time a
 * read_committed consumer then sees every word's values n = 1..N exactly once and reaches the log end, and the broker
 * lists no open transaction of the job's prefix. One broker for the class; the seed of each test is printed.
 */
class KafkaCountsRecoveryTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** Writers created for sink subtask 0: one per attempt of the job. */
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();
    /** Whether reads sleep (the job is then still reading when it is disturbed). */
    private static volatile boolean slow;
    /**
     * When set, the last sink subtask fails right after a pre-commit (its records flushed to the broker, in a
     * transaction no checkpoint will hold), once it has committed 2 transactions.
     */
    private static volatile boolean failWithOpenTransaction;

    /**
     * Run 1 at parallelism {@code before} fails (no restart) in its last sink subtask's pre-commit (after 2 commits),
     * leaving a transaction with records open on the broker, and its retained checkpoints; run 2 resumes from the
     * newest at parallelism {@code after}, with more input, and stops with a savepoint once every count is committed.
     * The resumed sinks
     * commit the restored transactions and abort the open ones they own ({@code old subtask % parallelism}), those of
     * a larger old parallelism included: nothing lost, nothing duplicated, no open transaction pins the output topic.
     */
    @ParameterizedTest(name = "resume at parallelism {1} from {0}")
    @CsvSource({"2, 3", "3, 2"})
    void rescaleOnResumeLeavesNoOpenTransaction(int before, int after, @TempDir Path dir) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String context = "seed " + seed + ", parallelism " + before + " -> " + after;
        System.out.println("KafkaCountsRecoveryTest rescale: " + context);
        String in = "rescale-in-" + before + "-" + after;
        String out = "rescale-out-" + before + "-" + after;
        String prefix = "sluice-kafka-counts-" + out;
        KAFKA.kafka().createTopic(in, 3);
        KAFKA.kafka().createTopic(out, 2);
        Map<String, Integer> expected = new TreeMap<>();
        // Run 1 reads at most 200 lines/s per partition and fails within a few checkpoints: it cannot reach the end.
        KafkaCountsOracle.writeInput(KAFKA.kafka(), in, random, 3000, expected);
        Path checkpoints = dir.resolve("ckp");
        reset(true);
        failWithOpenTransaction = true;
        JobClient first = start(before, checkpoints, null, RestartStrategy.none(), in, out, "rescale 1 " + context,
                Map.of());
        try {
            Throwable failed = assertThrows(JobExecutionException.class, () -> awaitEnd(first, 60, context + ": run 1"),
                    context + ": run 1 ends by the injected failure");
            assertTrue(causes(failed).contains("injected failure"), context + ": run 1 failed by the injection, not by "
                    + causes(failed));
        } finally {
            stop(first);
        }
        Map<String, TransactionDescription> left = KafkaCountsOracle.transactions(KAFKA.kafka(), prefix);
        List<String> openBefore = KafkaCountsOracle.open(left);
        assertTrue(openBefore.stream().anyMatch(t -> t.startsWith(prefix + "-" + (before - 1) + "-")),
                context + ": run 1 left the last subtask's transaction open (the case under test): " + left);
        int committedBefore = KAFKA.kafka().readCommittedSoFar(out).size();
        assertTrue(committedBefore < KafkaCountsOracle.total(expected), context + ": run 1 was stopped mid-run");

        KafkaCountsOracle.writeInput(KAFKA.kafka(), in, random, 500, expected);
        reset(false);
        String latest = latestCheckpoint(checkpoints);
        JobClient second = start(after, checkpoints, latest, RestartStrategy.none(), in, out, "rescale 2 " + context,
                Map.of());
        try {
            long total = KafkaCountsOracle.total(expected);
            await(() -> KAFKA.kafka().readCommittedSoFar(out).size() >= total, 90, () -> context + ": all " + total
                    + " counts committed by run 2 (open before it: " + openBefore + "; open now " + openNow(prefix)
                    + ")");
            Thread.sleep(500); // a duplicate committed late would show
            second.stopWithSavepoint(dir.resolve("savepoints").toString());
            awaitEnd(second, 60, context + ": run 2 stopped with a savepoint");
        } finally {
            stop(second);
        }
        checkOutput(context, out, prefix, expected);
    }

    /**
     * The broker is killed with SIGKILL while the job (parallelism 2, a fixed-delay restart strategy) reads, counts
     * and writes, and started again on the same ports and log directory (down for about 10 s: the kill, 1 to 2 s, the
     * restart); more input arrives after. With the clients' default timeouts (requests 30 s, deliveries 2 min,
     * blocking calls 1 min) the job rides the outage out: the clients reconnect, the flush at the barrier and the
     * commit wait for the broker. With timeouts of 3 s the sink's flush or commit fails during the outage, the job
     * fails over (its sink writers are created again, restarts counted), a restart while the broker is still down
     * fails again, and the one after it restores the newest checkpoint: commits its transactions, aborts the open
     * ones. Either way the output is exactly-once, and no transaction is left open.
     */
    @ParameterizedTest(name = "client timeouts of 3 s: {0}")
    @ValueSource(booleans = {true, false})
    void brokerKilledAndRestartedWhileTheJobRunsResumesExactlyOnce(boolean shortTimeouts, @TempDir Path dir)
            throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String context = "seed " + seed + ", broker restarted, " + (shortTimeouts ? "3 s" : "default") + " timeouts";
        System.out.println("KafkaCountsRecoveryTest broker restart: " + context);
        String in = "restart-in-" + shortTimeouts;
        String out = "restart-out-" + shortTimeouts;
        String prefix = "sluice-kafka-counts-" + out;
        KAFKA.kafka().createTopic(in, 3);
        KAFKA.kafka().createTopic(out, 2);
        Map<String, Integer> expected = new TreeMap<>();
        KafkaCountsOracle.writeInput(KAFKA.kafka(), in, random, 2000, expected);
        reset(true);
        Map<String, String> producer = shortTimeouts ? Map.of("request.timeout.ms", "2000", "delivery.timeout.ms",
                "3000", "max.block.ms", "3000") : Map.of();
        JobClient job = start(2, dir.resolve("ckp"), null, RestartStrategy.fixedDelay(20, Duration.ofMillis(500)), in,
                out, "broker restart " + context, producer);
        try {
            await(() -> KAFKA.kafka().readCommittedSoFar(out).size() > 0, 60, () -> context + ": nothing committed");
            int attemptsBefore = ATTEMPTS.get();
            long killedAt = System.nanoTime();
            KAFKA.kafka().broker.kill();
            Thread.sleep(1000 + random.nextInt(1000));
            KAFKA.kafka().broker.restart();
            System.out.println(context + ": broker down for " + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
            slow = false;
            KafkaCountsOracle.writeInput(KAFKA.kafka(), in, random, 500, expected);
            long total = KafkaCountsOracle.total(expected);
            await(() -> KAFKA.kafka().readCommittedSoFar(out).size() >= total, 120, () -> context + ": all " + total
                    + " counts committed (attempts " + ATTEMPTS.get() + ", open transactions " + openNow(prefix) + ")");
            Thread.sleep(500); // a duplicate committed late would show
            int restarts = ATTEMPTS.get() - attemptsBefore;
            System.out.println(context + ": " + restarts + " restart(s) after the broker was killed");
            if (shortTimeouts) {
                assertTrue(restarts > 0, context + ": the job failed over");
            }
            job.stopWithSavepoint(dir.resolve("savepoints").toString());
            awaitEnd(job, 60, context + ": the job stopped with a savepoint");
        } finally {
            stop(job);
        }
        checkOutput(context, out, prefix, expected);
    }

    private static void reset(boolean slowReads) {
        ATTEMPTS.set(0);
        slow = slowReads;
        failWithOpenTransaction = false;
    }

    private static JobClient start(int parallelism, Path checkpoints, String restoreFrom, RestartStrategy restarts,
            String in, String out, String name, Map<String, String> producer) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(200))
                        .withDirectory(checkpoints.toString()))
                .setRestartStrategy(restarts);
        if (restoreFrom != null) {
            env.restoreFrom(restoreFrom);
        }
        KafkaSource<String> source = KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(in)
                .valueDeserializer(new SlowLines()).build();
        KafkaSink.Builder<String> builder = KafkaRunningCounts.sinkBuilder(KAFKA.kafka().bootstrap(), out,
                DeliveryGuarantee.EXACTLY_ONCE, Duration.ofMinutes(1));
        producer.forEach(builder::producerProperty);
        KafkaSink<String> sink = builder.build();
        KafkaRunningCounts.define(env, source, new ObservedSink(sink), "Write Kafka");
        return env.executeAsync("kafka-counts " + name);
    }

    /** The newest completed checkpoint under {@code root}. */
    private static String latestCheckpoint(Path root) throws Exception {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        long id = storage.latestCompletedId().orElseThrow(() -> new AssertionError("no completed checkpoint under "
                + root));
        return storage.checkpointDirectory(id).toString();
    }

    /** A read_committed consumer reaches the log end and sees 1..N exactly once; no transaction of the prefix open. */
    private static void checkOutput(String context, String out, String prefix, Map<String, Integer> expected)
            throws Exception {
        Map<String, TransactionDescription> transactions = KafkaCountsOracle.transactions(KAFKA.kafka(), prefix);
        assertEquals(List.of(), KafkaCountsOracle.open(transactions), context + ": open transactions of " + prefix);
        KafkaCountsOracle.check(context, expected, KAFKA.kafka().readAll(out, "read_committed", Duration.ofSeconds(30)),
                true);
    }

    /** Cancels {@code job} and waits (at most 60 s) for its end, failed or cancelled. */
    private static void stop(JobClient job) throws Exception {
        job.cancel();
        try {
            awaitEnd(job, 60, "the cancelled job");
        } catch (JobExecutionException ended) {
            // failed or cancelled: either is an end
        }
    }

    /** {@code job.await()}, given up after {@code seconds} (an AssertionError naming {@code what}). */
    private static void awaitEnd(JobClient job, int seconds, String what) throws Exception {
        java.util.concurrent.FutureTask<Void> end = new java.util.concurrent.FutureTask<>(() -> {
            job.await();
            return null;
        });
        Thread waiter = new Thread(end, "await " + what);
        waiter.setDaemon(true);
        waiter.start();
        try {
            end.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (java.util.concurrent.TimeoutException e) {
            waiter.interrupt();
            throw new AssertionError(what + ": the job did not end within " + seconds + " s");
        }
    }

    private static String openNow(String prefix) {
        try {
            return KafkaCountsOracle.open(KafkaCountsOracle.transactions(KAFKA.kafka(), prefix)).toString();
        } catch (Exception e) {
            return "(cannot list: " + e + ")";
        }
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 10_000; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }

    private static void await(BooleanSupplier condition, int seconds, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.get() + " (not within " + seconds + " s)");
            }
            Thread.sleep(200);
        }
    }

    /** UTF-8 lines; while {@link #slow}, 5 ms per line, so that the job is still reading when it is disturbed. */
    private static final class SlowLines implements KafkaDeserializer<String> {
        private final KafkaDeserializer<String> utf8 = KafkaDeserializer.utf8();

        @Override
        public String deserialize(byte[] value) throws Exception {
            if (slow) {
                Thread.sleep(5);
            }
            return utf8.deserialize(value);
        }

        @Override
        public TypeSerializer<String> producedType() {
            return utf8.producedType();
        }
    }

    /**
     * The Kafka sink, counting the attempts (writers of subtask 0) and, once {@link #failWithOpenTransaction} is set,
     * failing in the last subtask at a write into a transaction that already holds records.
     */
    private record ObservedSink(KafkaSink<String> sink) implements TwoPhaseCommitSink<String, KafkaTransaction> {
        @Override
        public TransactionalWriter<String, KafkaTransaction> createWriter(SinkContext context) throws Exception {
            TransactionalWriter<String, KafkaTransaction> w = sink.createWriter(context);
            if (context.subtaskIndex() == 0) {
                ATTEMPTS.incrementAndGet();
            }
            boolean last = context.subtaskIndex() == context.parallelism() - 1;
            return new TransactionalWriter<>() {
                private int commits;

                @Override
                public void recover(List<KafkaTransaction> committedByCheckpoint) throws Exception {
                    w.recover(committedByCheckpoint);
                }

                @Override
                public void write(String record) throws Exception {
                    w.write(record);
                }

                @Override
                public KafkaTransaction preCommit(long checkpointId) throws Exception {
                    KafkaTransaction tx = w.preCommit(checkpointId);
                    if (last && failWithOpenTransaction && tx != null && commits >= 2) {
                        throw new IllegalStateException("injected failure after the pre-commit of " + tx);
                    }
                    return tx;
                }

                @Override
                public void commit(KafkaTransaction transaction) throws Exception {
                    w.commit(transaction);
                    commits++;
                }

                @Override
                public void close() throws Exception {
                    w.close();
                }
            };
        }
    }
}
