package io.sluice.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.types.Types;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails while a stop's savepoint is being taken fails the savepoint and the stop, and the job restarts by
 * its strategy (as Flink does), whatever the order in which the supervisor and the stopping client learn of it: the
 * supervisor waits for the stop to settle instead of reading a "stopping" flag the client is about to clear. The sink
 * holds the savepoint open (its pre-commit waits until the attempt is cancelled), so the savepoint cannot complete
 * before the failure; the restarted job then writes every number exactly once.
 */
@Timeout(60)
class FailureDuringStopWithSavepointTest {
    private static final long N = 40_000;
    /** Set by the test: the next record through the map fails its task, once. */
    private static final AtomicBoolean FAIL_NEXT = new AtomicBoolean();
    /** Set by the test: pre-commits wait until their task is cancelled. */
    private static final AtomicBoolean HOLD_PRE_COMMIT = new AtomicBoolean();
    private static final CountDownLatch PRE_COMMIT_HELD = new CountDownLatch(1);
    private static final AtomicLong WRITTEN = new AtomicLong();
    private static final Map<String, List<Long>> PRE_COMMITTED = new ConcurrentHashMap<>();
    private static final Map<String, List<Long>> COMMITTED = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @Test
    void aFailureWhileTheStopsSavepointIsTakenFailsTheStopAndTheJobRestarts() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofHours(1)).withDirectory(dir.resolve("cp").toString()));
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(50)));
        env.generateSequence(1, N, 10_000).uid("numbers")
                .map(v -> {
                    if (FAIL_NEXT.compareAndSet(true, false)) {
                        throw new IllegalStateException("injected failure during the stop's savepoint");
                    }
                    return v;
                }, Types.LONG).uid("fail-once")
                .keyBy(v -> v % 4)
                .sinkTo(new HoldingSink()).uid("hold");
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            JobClient job = new LocalExecutor().submit(env.buildJobGraph("failure during stop"));
            awaitWritten(1_000);
            HOLD_PRE_COMMIT.set(true);
            Future<String> stop = stopper.submit(() -> job.stopWithSavepoint(dir.resolve("savepoints").toString()));
            assertTrue(PRE_COMMIT_HELD.await(20, TimeUnit.SECONDS), "the savepoint reached the sink");
            HOLD_PRE_COMMIT.set(false); // only the savepoint's pre-commits are held: the restarted job's end commits
            FAIL_NEXT.set(true);

            ExecutionException e = assertThrows(ExecutionException.class, () -> stop.get(30, TimeUnit.SECONDS));
            assertInstanceOf(JobExecutionException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("savepoint"), e.getCause().getMessage());
            job.await(); // the job restarted and finished: it did not end with the stop

            List<Long> committed = new ArrayList<>();
            COMMITTED.values().forEach(committed::addAll);
            committed.sort(null);
            assertEquals(LongStream.rangeClosed(1, N).boxed().toList(), committed, "every number exactly once");
        } finally {
            stopper.shutdownNow();
            PRE_COMMITTED.clear();
            COMMITTED.clear();
        }
    }

    private static void awaitWritten(long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (WRITTEN.get() < n) {
            assertTrue(System.nanoTime() < deadline, n + " records written within 20 s");
            Thread.sleep(5);
        }
    }

    /** A two-phase-commit sink into this JVM's memory whose pre-commits wait while {@link #HOLD_PRE_COMMIT} is set. */
    private static final class HoldingSink implements TwoPhaseCommitSink<Long, String> {
        @Override
        public TransactionalWriter<Long, String> createWriter(SinkContext context) {
            String prefix = context.subtaskIndex() + "/";
            return new TransactionalWriter<>() {
                private List<Long> current = new ArrayList<>();

                @Override
                public void recover(List<String> committedByCheckpoint) {
                    committedByCheckpoint.forEach(this::commit);
                    PRE_COMMITTED.keySet().removeIf(tx -> tx.startsWith(prefix) && !COMMITTED.containsKey(tx)); // abort
                }

                @Override
                public void write(Long record) {
                    current.add(record);
                    WRITTEN.incrementAndGet();
                }

                @Override
                public String preCommit(long checkpointId) throws InterruptedException {
                    if (HOLD_PRE_COMMIT.get()) {
                        PRE_COMMIT_HELD.countDown();
                        new CountDownLatch(1).await(30, TimeUnit.SECONDS); // until the cancel interrupts the task
                        throw new IllegalStateException("pre-commit held for 30 s without the task being cancelled");
                    }
                    String tx = prefix + UUID.randomUUID();
                    PRE_COMMITTED.put(tx, current);
                    current = new ArrayList<>();
                    return tx;
                }

                @Override
                public void commit(String tx) {
                    List<Long> records = PRE_COMMITTED.get(tx);
                    if (records != null) {
                        COMMITTED.putIfAbsent(tx, records);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
