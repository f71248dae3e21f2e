package io.sluice.cluster.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.sink.CollectSink;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.worker.Worker;
import io.sluice.network.ClusterToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job mains that go wrong on the coordinator, each failing its job with the reason while the cluster runs on: one that
 * throws, one that returns without submitting, one that never submits (failed after the submit wait, its thread
 * interrupted), one that submits after its job was failed for being late; then a good job runs.
 */
@Timeout(60)
class JobMainFailuresTest {
    private static final Coordinator.Settings FAST = new Coordinator.Settings("127.0.0.1", 0, 100, 2_000);
    private static final long SUBMIT_WAIT_MILLIS = 700;

    private final CountDownLatch hangingMainInterrupted = new CountDownLatch(1);
    private final CollectSink<Long> sink = new CollectSink<>();
    private volatile String lateSubmission = "";

    private void main(List<String> argv, List<Path> jars, JobExecutor executor) throws Exception {
        StreamEnvironment env = StreamEnvironment.create(EnvironmentSettings.defaults().withExecutor(executor))
                .setParallelism(1);
        env.generateSequence(1, 100).sinkTo(sink);
        switch (argv.getFirst()) {
            case "throws" -> throw new IllegalStateException("no --input given");
            case "returns" -> { }
            case "hangs" -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    hangingMainInterrupted.countDown();
                }
            }
            case "late" -> {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * SUBMIT_WAIT_MILLIS);
                while (System.nanoTime() < until) { // deaf to interrupts
                    Thread.onSpinWait();
                }
                try {
                    env.execute("late");
                } catch (Exception e) {
                    lateSubmission = e.getMessage();
                }
            }
            default -> env.execute(argv.getFirst());
        }
    }

    private static JobInfo awaitEnd(ClusterClient client, String jobId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            JobInfo job = client.job(jobId);
            if (List.of("FINISHED", "FAILED", "CANCELLED").contains(job.state())) {
                return job;
            }
            assertTrue(System.nanoTime() < deadline, "job " + jobId + " ends within 20 s: " + job);
            Thread.sleep(20);
        }
    }

    private static void assertFailed(String reason, JobInfo job) {
        assertEquals("FAILED", job.state(), job.toString());
        assertEquals(reason, job.failure());
    }

    @Test
    void mainsThatThrowReturnOrNeverSubmitFailTheirJobWithTheReason(@TempDir Path dir) throws Exception {
        ClusterToken token = ClusterToken.create(dir.resolve("token"));
        try (Coordinator coordinator = Coordinator.start(FAST, token, dir.resolve("coordinator"),
                        new Jobs.Settings(dir, 10_000, SUBMIT_WAIT_MILLIS, this::main));
                Worker worker = Worker.join("127.0.0.1", coordinator.address().getPort(), token, java.util.Optional.empty(),
                        RegisterRequest.newInstance("127.0.0.1", 0, 1, ProcessHandle.current().pid()), dir.resolve("w"),
                        () -> {});
                ClusterClient client = new ClusterClient("127.0.0.1", coordinator.address().getPort(), token, java.util.Optional.empty())) {
            assertFailed("the job's main failed: no --input given", awaitEnd(client, client.submit(List.of("throws"), List.of())));
            assertFailed("the job's main returned without starting a job",
                    awaitEnd(client, client.submit(List.of("returns"), List.of())));
            String tooLate = "the job's main did not submit a job within " + SUBMIT_WAIT_MILLIS
                    + " ms (does it wait for something?); its thread was interrupted";
            assertFailed(tooLate, awaitEnd(client, client.submit(List.of("hangs"), List.of())));
            assertTrue(hangingMainInterrupted.await(10, TimeUnit.SECONDS), "the hanging main was interrupted");

            String late = client.submit(List.of("late"), List.of());
            assertFailed(tooLate, awaitEnd(client, late));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lateSubmission.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the late main submits");
                Thread.sleep(20);
            }
            assertEquals("Job " + late + " ended (FAILED) before its main submitted it: " + tooLate, lateSubmission);
            assertEquals("FAILED", client.job(late).state(), "a late submission starts nothing");

            JobInfo good = awaitEnd(client, client.submit(List.of("good"), List.of()));
            assertEquals("FINISHED", good.state(), good.toString());
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), sink.results(), "the cluster runs jobs on");
            assertEquals(1, coordinator.registry().status().size());
        } finally {
            sink.clear();
        }
    }
}
