package io.sluice.cluster.coordinator;

import static io.sluice.cluster.coordinator.FakeTaskWorker.WAIT_MILLIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.sink.CollectSink;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.protocol.JobMessages.CommandKind;
import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.network.ClusterToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint of a job run whole on a worker ({@code --placement job}) is answered only by the worker it was asked of,
 * about the job and attempt it was asked for: an answer to its request id from another worker, or naming another job
 * or attempt, is ignored (one log line), and the client gets the asked worker's answer. The workers are
 * {@link FakeTaskWorker}s, which answer only what the test says; the oracle is the path the client's savepoint returns.
 */
@Timeout(60)
class SavepointAnswersTest {
    /**
     * How long the client's savepoint must stay unanswered after a wrong answer: the coordinator takes an answer in
     * milliseconds, so one it took wrongly would have completed it by then.
     */
    private static final long UNANSWERED_MILLIS = 1_000;

    @TempDir
    Path dir;

    /** A job on one slot: a bounded sequence into a sink (it never runs here). */
    private static void runJob(List<String> argv, List<Path> jars, JobExecutor executor) throws Exception {
        StreamEnvironment env = StreamEnvironment.create(EnvironmentSettings.defaults().withExecutor(executor))
                .setParallelism(1);
        env.generateSequence(1, 1_000).sinkTo(new CollectSink<>());
        env.execute("whole");
    }

    /**
     * The worker running the job is asked; the other worker answers the request first (and it stays unanswered), the
     * asked one answers it naming another attempt, then another job (both ignored), then as asked: the client gets
     * that path. Before, the first answer to the request id was taken, whoever sent it.
     */
    @Test
    void aSavepointAnswerCountsOnlyFromTheWorkerAskedAboutTheJobAndAttemptAsked() throws Exception {
        ClusterToken token = ClusterToken.create(dir.resolve("token"));
        ExecutorService asking = Executors.newSingleThreadExecutor();
        // The workers close before the coordinator, which ends the client's call if it still waits.
        try (Coordinator coordinator = Coordinator.start(FakeTaskWorker.NO_EXPIRY, token, dir.resolve("coordinator"),
                        new Jobs.Settings(dir.resolve("checkpoints"), WAIT_MILLIS, SavepointAnswersTest::runJob));
                ClusterClient client = new ClusterClient("127.0.0.1", coordinator.address().getPort(), token,
                        Optional.empty());
                FakeTaskWorker a = FakeTaskWorker.join(coordinator.address().getPort(), token, 1);
                FakeTaskWorker b = FakeTaskWorker.join(coordinator.address().getPort(), token, 1)) {
            String job = client.submit(List.of("whole"), List.of());
            String worker = awaitPlaced(client, job);
            FakeTaskWorker on = worker.equals(a.workerId()) ? a : b;
            FakeTaskWorker other = on == a ? b : a;
            WorkerCommand deploy = on.awaitCommand(CommandKind.DEPLOY, job, WAIT_MILLIS);
            String savepoints = dir.resolve("savepoints").toString();
            CompletableFuture<String> path = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.savepoint(job, savepoints, false);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, asking);
            WorkerCommand asked = on.awaitCommand(CommandKind.SAVEPOINT, job, WAIT_MILLIS);
            assertEquals(deploy.attempt(), asked.attempt(), "asked about the attempt it runs");
            long request = asked.requestId();
            other.answerSavepoint(EventKind.SAVEPOINT_DONE, job, asked.attempt(), request, "/from-the-worker-not-asked");
            // On another stream than the asked worker's: no order between them, so the test waits for it to be taken.
            assertThrows(TimeoutException.class, () -> path.get(UNANSWERED_MILLIS, TimeUnit.MILLISECONDS),
                    () -> "the other worker's answer was taken: " + path.getNow(null));
            // On the asked worker's stream, in order before its right answer.
            on.answerSavepoint(EventKind.SAVEPOINT_DONE, job, asked.attempt() + 1, request, "/about-another-attempt");
            on.answerSavepoint(EventKind.SAVEPOINT_FAILED, "job-99", asked.attempt(), request, "about another job");
            on.answerSavepoint(EventKind.SAVEPOINT_DONE, job, asked.attempt(), request, "/as-asked");
            assertEquals("/as-asked", path.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        } finally {
            asking.shutdownNow();
            assertTrue(asking.awaitTermination(10, TimeUnit.SECONDS), "the client's savepoint call ended");
        }
    }

    /** The worker the job's first attempt was placed on, whole. */
    private static String awaitPlaced(ClusterClient client, String job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        String worker;
        while ((worker = client.job(job).worker()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(job + " was not placed within " + WAIT_MILLIS + " ms: " + client.job(job));
            }
            Thread.sleep(20);
        }
        return worker;
    }
}
