package io.sluice.cluster.coordinator;

import static io.sluice.cluster.coordinator.FakeTaskWorker.WAIT_MILLIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.sink.CollectSink;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMessage.Kind;
import io.sluice.network.ClusterToken;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spread job cancelled at each step of its life gives back every slot it reserved: while it waits for slots, while
 * its first attempt is being deployed (the workers have its tasks but have not said they built them: the supervisor
 * does not exist yet; the cancel does not wait for their answers, and late ones change nothing), while it runs, and
 * while a restart's attempt is being deployed (the same abort, under its supervisor). The workers are
 * {@link FakeTaskWorker}s of one slot each, which answer only when the test says, so each cancel lands at the step
 * named; the oracle is the slots the coordinator reports used (what {@code cluster status} shows) and that the next
 * job needing both slots is deployed on both. A worker's whole-job end naming a spread job does not end it either,
 * and a savepoint or stop asked while no attempt runs (the first being deployed, a restart waiting for slots or being
 * deployed) is refused, naming the job and why, without marking the job as stopping (the job's final state and reason
 * are the oracle). Only a cancel, not a stop's mark, ends a restart's wait for slots.
 */
@Timeout(60)
class SpreadJobCancelTest {
    /** A bound on a cancel that waits for no worker: far below the 120 s a deployment may wait for them. */
    private static final long PROMPT_MILLIS = 10_000;

    @TempDir
    Path dir;

    private ClusterToken token;
    private int port;
    private Coordinator coordinator;
    private FakeTaskWorker a;
    private FakeTaskWorker b;
    private ClusterClient client;

    /**
     * A job of the parallelism its first argument says: a bounded sequence into a sink (it never runs here). A second
     * argument {@code restart} allows it one restart, at once, after a failure.
     */
    private static void runJob(List<String> argv, List<Path> jars, JobExecutor executor) throws Exception {
        StreamEnvironment env = StreamEnvironment.create(EnvironmentSettings.defaults().withExecutor(executor))
                .setParallelism(Integer.parseInt(argv.getFirst()));
        if (argv.size() > 1 && argv.get(1).equals("restart")) {
            env.setRestartStrategy(RestartStrategy.fixedDelay(1, Duration.ZERO));
        }
        env.generateSequence(1, 1_000).sinkTo(new CollectSink<>());
        env.execute("held");
    }

    @BeforeEach
    void start() throws IOException {
        token = ClusterToken.create(dir.resolve("token"));
        coordinator = Coordinator.start(FakeTaskWorker.NO_EXPIRY, token, dir.resolve("coordinator"),
                new Jobs.Settings(dir.resolve("checkpoints"), WAIT_MILLIS, SpreadJobCancelTest::runJob, true));
        port = coordinator.address().getPort();
        a = FakeTaskWorker.join(port, token, 1);
        b = FakeTaskWorker.join(port, token, 1);
        client = new ClusterClient("127.0.0.1", port, token, java.util.Optional.empty());
    }

    @AfterEach
    void stop() throws Exception {
        // The workers first: the coordinator declares them lost, which fails any attempt still waiting for them.
        for (AutoCloseable c : new AutoCloseable[] {client, a, b, coordinator}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aCancelWhileTheJobWaitsForSlotsReservesNone() throws Exception {
        String job = client.submit(List.of("3"), List.of()); // 3 slots: the two workers have 2
        awaitState(job, "WAITING");
        client.cancel(job);
        awaitState(job, "CANCELLED");
        assertFalse(a.hasReceived(Kind.DEPLOY, job) || b.hasReceived(Kind.DEPLOY, job), "nothing was deployed");
        awaitUsedSlots(0);
        runAndCancel(client.submit(List.of("2"), List.of()));
    }

    @Test
    void aCancelWhileTheFirstAttemptIsBeingDeployedGivesItsSlotsBack() throws Exception {
        String job = client.submit(List.of("2"), List.of());
        TaskMessage deployA = a.await(Kind.DEPLOY, job, WAIT_MILLIS);
        TaskMessage deployB = b.await(Kind.DEPLOY, job, WAIT_MILLIS);
        assertEquals(Map.of(a.workerId(), 1, b.workerId(), 1), usedSlots(), "one slot of each reserved");
        client.cancel(job); // no supervisor yet: the deployment is aborted
        a.report(deployA, Kind.DEPLOYED, ""); // answers that come after the cancel: late, they change nothing
        b.report(deployB, Kind.DEPLOYED, "");
        a.report(a.await(Kind.CANCEL, job, WAIT_MILLIS), Kind.ENDED, "");
        b.report(b.await(Kind.CANCEL, job, WAIT_MILLIS), Kind.ENDED, "");
        awaitState(job, "CANCELLED");
        String failure = client.job(job).failure();
        assertTrue(failure.contains("cannot start: it was cancelled while its tasks were being deployed"),
                "the job's failure: " + failure);
        awaitUsedSlots(0);
        runAndCancel(client.submit(List.of("2"), List.of()));
    }

    @Test
    void aCancelDuringTheFirstDeploymentDoesNotWaitForAWorkerThatNeverAnswers() throws Exception {
        String job = client.submit(List.of("2"), List.of());
        TaskMessage deployA = a.await(Kind.DEPLOY, job, WAIT_MILLIS);
        TaskMessage deployB = b.await(Kind.DEPLOY, job, WAIT_MILLIS); // b never answers it while the job lives
        a.report(deployA, Kind.DEPLOYED, "");
        client.cancel(job);
        TaskMessage cancelA = a.await(Kind.CANCEL, job, WAIT_MILLIS);
        b.await(Kind.CANCEL, job, WAIT_MILLIS); // b is being deployed: its share, once built, must end too
        // A bounded wait (WAIT_MILLIS) within the CLI's for a cancel (30 s), far below the deployment's limit (120 s)
        // it waited for before.
        awaitState(job, "CANCELLED");
        awaitUsedSlots(0);
        // The answers of the cancelled attempt, after it ended: dropped. They go before the next job's answers on the
        // same streams, so by the time the next job runs the coordinator has handled them.
        a.report(cancelA, Kind.ENDED, "cancelled");
        b.report(deployB, Kind.DEPLOYED, "");
        b.report(deployB, Kind.ENDED, "cancelled");
        assertLateAnswersDropped(job);
    }

    @Test
    void aCancelOfARunningJobGivesItsSlotsBack() throws Exception {
        runAndCancel(client.submit(List.of("2"), List.of()));
        runAndCancel(client.submit(List.of("2"), List.of()));
    }

    /**
     * A cancel while a restart's attempt is being deployed (the supervisor exists, the workers hold the new attempt's
     * {@code DEPLOY} without answering) aborts that deployment as a cancel during the first one does: {@code CANCEL}
     * of the new attempt to both workers, the job CANCELLED within {@value #PROMPT_MILLIS} ms (before, it waited for
     * every worker's {@code DEPLOYED}, up to the deployment's 120 s), its slots free, late answers dropped.
     */
    @Test
    void aCancelDuringARestartsDeploymentDoesNotWaitForTheWorkers() throws Exception {
        String job = client.submit(List.of("2", "restart"), List.of());
        TaskMessage[] restart = restartBeingDeployed(job); // held: never answered while the job lives
        TaskMessage restartA = restart[0];
        TaskMessage restartB = restart[1];
        client.cancel(job);
        awaitOf(a, Kind.CANCEL, job, restartA.attempt());
        awaitOf(b, Kind.CANCEL, job, restartB.attempt());
        awaitState(job, "CANCELLED", PROMPT_MILLIS);
        String failure = client.job(job).failure(); // says it was the restart's deployment, not the first one's
        assertTrue(failure.contains("it was cancelled while the tasks of its restart (attempt " + restartA.attempt()
                + ") were being deployed") && !failure.contains("null"), "the job's failure: " + failure);
        awaitUsedSlots(0);
        // The restart's answers, after the job ended: dropped (they go before the next job's on the same streams).
        a.report(restartA, Kind.DEPLOYED, "");
        b.report(restartB, Kind.DEPLOYED, "");
        a.report(restartA, Kind.ENDED, "cancelled");
        b.report(restartB, Kind.ENDED, "cancelled");
        assertLateAnswersDropped(job);
    }

    /**
     * A stop's mark on a job whose restart waits for slots does not fail that restart: only a cancel aborts it. The
     * mark ({@code ClusterJob.cancelRequested}) is what {@code Jobs.savepoint} sets while a stop runs; through the
     * client a stop that cannot be taken holds it only for as long as it takes to be refused, so it is held here, as a
     * stop in progress would hold it, until slots return; then the stop is refused ({@code Jobs.stopFailed}) and the
     * job runs on. Before, the slot wait took the mark for a cancel: the restart failed and, the job's one restart
     * spent, the job FAILED without deploying it.
     */
    @Test
    void aStopsMarkDoesNotFailARestartWaitingForSlots() throws Exception {
        String job = client.submit(List.of("2", "restart"), List.of());
        int restart = restartWaitingForSlots(job).attempt() + 1;
        Jobs table = coordinator.jobs();
        synchronized (table) {
            table.job(job).cancelRequested = true; // as a stop in progress marks it
        }
        Thread.sleep(300); // the slot wait looks every 100 ms: it sees the mark a few times before slots return
        try (FakeTaskWorker c = FakeTaskWorker.join(port, token, 1)) {
            TaskMessage restartA = awaitOf(a, Kind.DEPLOY, job, restart);
            TaskMessage restartC = c.await(Kind.DEPLOY, job, WAIT_MILLIS);
            table.stopFailed(job, true);
            runsThenIsCancelled(job, a, restartA, c, restartC);
        }
    }

    /**
     * A savepoint or a stop asked while the first attempt is being deployed (no supervisor yet) is refused, saying so
     * and naming the job, and leaves the job as it was: it is not marked as stopping, so when its running attempt
     * later fails it ends FAILED with that reason (before, the refused stop marked it, and it ended CANCELLED).
     */
    @Test
    void aSavepointOrStopDuringTheFirstDeploymentIsRefusedAndLeavesTheJobAsItWas() throws Exception {
        String job = client.submit(List.of("2"), List.of());
        TaskMessage deployA = a.await(Kind.DEPLOY, job, WAIT_MILLIS);
        TaskMessage deployB = b.await(Kind.DEPLOY, job, WAIT_MILLIS);
        assertRefused(job, "Job " + job + " 'held' is being deployed (its workers are building its first attempt's");
        assertEquals("RUNNING", client.job(job).state(), "shown as running while being deployed, as before");
        a.report(deployA, Kind.DEPLOYED, "");
        b.report(deployB, Kind.DEPLOYED, "");
        a.await(Kind.START, job, WAIT_MILLIS);
        b.await(Kind.START, job, WAIT_MILLIS);
        String reason = "a task failed on purpose";
        a.report(deployA, Kind.FAILED, reason); // no restart strategy: the job fails
        a.report(a.await(Kind.CANCEL, job, WAIT_MILLIS), Kind.ENDED, "");
        b.report(b.await(Kind.CANCEL, job, WAIT_MILLIS), Kind.ENDED, "");
        awaitState(job, "FAILED", WAIT_MILLIS);
        assertTrue(client.job(job).failure().contains(reason), "the job's failure: " + client.job(job).failure());
        awaitUsedSlots(0);
    }

    /**
     * A savepoint or a stop asked while a restart waits for slots (worker b lost, its attempt failed) is refused,
     * naming the job and the failed attempt and saying to retry once it runs (before, the supervisor answered
     * "savepoint into DIR failed: no running source to take a savepoint from"); the job is left restarting and, once
     * slots return (a third worker), runs again.
     */
    @Test
    void aSavepointOrStopWhileARestartWaitsForSlotsIsRefusedAndTheJobRunsOnceSlotsReturn() throws Exception {
        String job = client.submit(List.of("2", "restart"), List.of());
        int failed = restartWaitingForSlots(job).attempt();
        assertRefused(job, "Job " + job + " 'held' is restarting (attempt " + failed + " failed");
        assertEquals("RESTARTING", client.job(job).state(), "left restarting");
        try (FakeTaskWorker c = FakeTaskWorker.join(port, token, 1)) {
            TaskMessage restartA = awaitOf(a, Kind.DEPLOY, job, failed + 1);
            runsThenIsCancelled(job, a, restartA, c, c.await(Kind.DEPLOY, job, WAIT_MILLIS));
        }
    }

    /**
     * A savepoint or a stop asked while a restart's attempt is being deployed (the workers hold its {@code DEPLOY}) is
     * refused, naming the job and the attempt being deployed (before, "savepoint into DIR failed: no running source
     * to take a savepoint from"), and leaves the job as it was: once deployed the attempt runs, and its failure, the
     * job's one restart spent, ends the job FAILED with that reason, not CANCELLED as a job marked as stopping would.
     */
    @Test
    void aSavepointOrStopDuringARestartsDeploymentIsRefusedAndLeavesTheJobAsItWas() throws Exception {
        String job = client.submit(List.of("2", "restart"), List.of());
        TaskMessage[] restart = restartBeingDeployed(job);
        assertRefused(job, "Job " + job + " 'held' is being redeployed (its workers are building the tasks of attempt "
                + restart[0].attempt() + ", a restart)");
        assertEquals("RUNNING", client.job(job).state(), "shown as running while being deployed, as before");
        a.report(restart[0], Kind.DEPLOYED, "");
        b.report(restart[1], Kind.DEPLOYED, "");
        a.await(Kind.START, job, WAIT_MILLIS);
        b.await(Kind.START, job, WAIT_MILLIS);
        String reason = "the restarted attempt failed on purpose";
        a.report(restart[0], Kind.FAILED, reason);
        a.report(awaitOf(a, Kind.CANCEL, job, restart[0].attempt()), Kind.ENDED, "");
        b.report(awaitOf(b, Kind.CANCEL, job, restart[1].attempt()), Kind.ENDED, "");
        awaitState(job, "FAILED", WAIT_MILLIS);
        assertTrue(client.job(job).failure().contains(reason), "the job's failure: " + client.job(job).failure());
        awaitUsedSlots(0);
    }

    /**
     * Asks a savepoint, then a stop with one, of {@code job}: both refused with a message that {@code says} this, names
     * no {@code null} and says to retry once the job runs.
     */
    private void assertRefused(String job, String says) {
        for (boolean stop : new boolean[] {false, true}) {
            IOException refused = assertThrows(IOException.class,
                    () -> client.savepoint(job, dir.resolve("savepoints").toString(), stop));
            String message = String.valueOf(refused.getMessage());
            assertTrue(message.contains(says) && message.contains("retry once it runs") && !message.contains("null"),
                    (stop ? "the stop: " : "the savepoint: ") + message);
        }
    }

    /** The next message of {@code kind} about {@code job} attempt {@code attempt} sent to {@code worker}. */
    private static TaskMessage awaitOf(FakeTaskWorker worker, Kind kind, String job, int attempt) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        for (int passed = 0; passed < 10; passed++) { // another attempt's, a few at most (a second CANCEL, say)
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            TaskMessage m = worker.await(kind, job, left);
            if (m.attempt() == attempt) {
                return m;
            }
        }
        throw new AssertionError(worker.workerId() + " received no " + kind + " of " + job + " attempt " + attempt
                + " among its next 10");
    }

    /**
     * A worker's whole-job end (what a worker running a job whole sends) naming a spread job that runs on it alone,
     * in its current attempt, does not end it: only its supervisor does. The job then ends as the cancel says, with
     * neither the event's state nor its reason; before, the coordinator took the event for the job's end.
     */
    @Test
    void aWholeJobsEndFromItsWorkerDoesNotEndASpreadJob() throws Exception {
        String job = client.submit(List.of("1"), List.of());
        awaitState(job, "RUNNING"); // shown from its deployment on, with the worker its one slot is on
        FakeTaskWorker on = client.job(job).worker().equals(a.workerId()) ? a : b;
        TaskMessage deploy = on.await(Kind.DEPLOY, job, WAIT_MILLIS);
        on.report(deploy, Kind.DEPLOYED, "");
        on.await(Kind.START, job, WAIT_MILLIS);
        String reason = "a whole attempt's failure";
        on.reportWhole(EventKind.FAILED, job, deploy.attempt(), reason);
        on.reportWhole(EventKind.FINISHED, job, deploy.attempt(), "");
        client.cancel(job);
        // After the two events on the same stream: the coordinator has handled them when it takes this one.
        on.report(on.await(Kind.CANCEL, job, WAIT_MILLIS), Kind.ENDED, "cancelled");
        awaitState(job, "CANCELLED");
        assertFalse(client.job(job).failure().contains(reason), "the job's failure: " + client.job(job).failure());
        awaitUsedSlots(0);
    }

    /**
     * Has {@code job} (2 slots, one restart) deployed on both workers and started, then loses worker b: the attempt
     * fails, a ends its share, and the restart waits for 2 free slots where a's one is all there is (it gave back the
     * first attempt's slots: a uses none). The first attempt's {@code DEPLOY} to a.
     */
    private TaskMessage restartWaitingForSlots(String job) throws Exception {
        TaskMessage firstA = startedOnBoth(job)[0];
        b.close(); // lost: its share counts as ended, and the attempt fails
        a.report(awaitOf(a, Kind.CANCEL, job, firstA.attempt()), Kind.ENDED, "");
        awaitState(job, "RESTARTING");
        awaitUsedSlots(Map.of(a.workerId(), 0));
        return firstA;
    }

    /** Has the attempt of {@code job} deployed on a and b built and started; the {@code DEPLOY}s of a and b. */
    private TaskMessage[] startedOnBoth(String job) throws Exception {
        TaskMessage deployA = a.await(Kind.DEPLOY, job, WAIT_MILLIS);
        TaskMessage deployB = b.await(Kind.DEPLOY, job, WAIT_MILLIS);
        a.report(deployA, Kind.DEPLOYED, "");
        b.report(deployB, Kind.DEPLOYED, "");
        a.await(Kind.START, job, WAIT_MILLIS);
        b.await(Kind.START, job, WAIT_MILLIS);
        return new TaskMessage[] {deployA, deployB};
    }

    /**
     * Has {@code job} (2 slots, one restart) deployed on both workers and started, then fails it (a task on a): both
     * end their shares, and the supervisor deploys the restart's attempt, shown running from then on. The restart's
     * {@code DEPLOY}s to a and b, not answered.
     */
    private TaskMessage[] restartBeingDeployed(String job) throws Exception {
        TaskMessage[] first = startedOnBoth(job);
        a.report(first[0], Kind.FAILED, "a task failed on purpose"); // the supervisor restarts the job (one restart)
        a.report(awaitOf(a, Kind.CANCEL, job, first[0].attempt()), Kind.ENDED, "");
        b.report(awaitOf(b, Kind.CANCEL, job, first[1].attempt()), Kind.ENDED, "");
        TaskMessage restartA = a.await(Kind.DEPLOY, job, WAIT_MILLIS);
        TaskMessage restartB = b.await(Kind.DEPLOY, job, WAIT_MILLIS);
        assertEquals(first[0].attempt() + 1, restartA.attempt(), "the restart's attempt");
        awaitState(job, "RUNNING", WAIT_MILLIS); // shown as running from the restart's deployment on
        return new TaskMessage[] {restartA, restartB};
    }

    /**
     * Has {@code job} (2 slots) deployed on both workers, which also shows both slots were free, started, then
     * cancelled: its slots are free again.
     */
    /**
     * After the late answers of cancelled {@code job}'s attempt were sent: a next job runs on the same streams (so the
     * coordinator handled those answers first), and {@code job} stays CANCELLED.
     */
    private void assertLateAnswersDropped(String job) throws Exception {
        runAndCancel(client.submit(List.of("2"), List.of()));
        assertEquals("CANCELLED", client.job(job).state(), "late answers do not bring " + job + " back");
    }

    private void runAndCancel(String job) throws Exception {
        runsThenIsCancelled(job, a, a.await(Kind.DEPLOY, job, WAIT_MILLIS), b, b.await(Kind.DEPLOY, job, WAIT_MILLIS));
        awaitUsedSlots(0);
    }

    /**
     * Has the attempt of {@code job} that {@code x} and {@code y} were sent {@code deployX} and {@code deployY} of
     * built and started: the job runs, one slot of each used; then cancelled: it ends CANCELLED.
     */
    private void runsThenIsCancelled(String job, FakeTaskWorker x, TaskMessage deployX, FakeTaskWorker y,
            TaskMessage deployY) throws Exception {
        x.report(deployX, Kind.DEPLOYED, "");
        y.report(deployY, Kind.DEPLOYED, "");
        x.await(Kind.START, job, WAIT_MILLIS);
        y.await(Kind.START, job, WAIT_MILLIS);
        awaitState(job, "RUNNING");
        assertEquals(Map.of(x.workerId(), 1, y.workerId(), 1), usedSlotsOf(java.util.Set.of(x.workerId(), y.workerId())),
                job + " holds one slot of each");
        client.cancel(job);
        x.report(awaitOf(x, Kind.CANCEL, job, deployX.attempt()), Kind.ENDED, "");
        y.report(awaitOf(y, Kind.CANCEL, job, deployY.attempt()), Kind.ENDED, "");
        awaitState(job, "CANCELLED");
    }

    /** The slots the coordinator reports used, by worker. */
    private Map<String, Integer> usedSlots() throws IOException {
        Map<String, Integer> used = new TreeMap<>();
        for (WorkerStatus w : client.status().workers()) {
            used.put(w.workerId(), w.usedSlots());
        }
        return used;
    }

    /** The slots the coordinator reports used on {@code workers} (those it reports). */
    private Map<String, Integer> usedSlotsOf(java.util.Set<String> workers) throws IOException {
        Map<String, Integer> used = usedSlots();
        used.keySet().retainAll(workers);
        return used;
    }

    private void awaitUsedSlots(int each) throws Exception {
        awaitUsedSlots(Map.of(a.workerId(), each, b.workerId(), each));
    }

    /** Waits until the workers named in {@code slots} use as many slots as it says (the others are not looked at). */
    private void awaitUsedSlots(Map<String, Integer> slots) throws Exception {
        Map<String, Integer> expected = new TreeMap<>(slots);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        Map<String, Integer> used;
        while (!(used = usedSlotsOf(expected.keySet())).equals(expected)) {
            if (System.nanoTime() > deadline) {
                assertEquals(expected, used, "the slots used " + WAIT_MILLIS + " ms later");
            }
            Thread.sleep(20);
        }
    }

    private void awaitState(String job, String state) throws Exception {
        awaitState(job, state, WAIT_MILLIS);
    }

    private void awaitState(String job, String state, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        String now;
        while (!(now = client.job(job).state()).equals(state)) {
            if (System.nanoTime() > deadline) {
                assertEquals(state, now, "the state of " + job + " " + millis + " ms later: " + client.job(job));
            }
            Thread.sleep(20);
        }
    }
}
