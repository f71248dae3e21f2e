package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.network.ClusterToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job commands against a local cluster of real processes (one worker with 2 slots, shared by the tests): bad input
 * refused with one clear line (a wrong token, a jar that does not exist, a jar without the main class, mains that fail
 * or submit nothing) while the cluster keeps running; {@code --detached} printing only the job id; a savepoint that
 * {@code --from-checkpoint} accepts; cancel freeing the slots; stop with a savepoint, and the resumed job's committed
 * output exactly the oracle's. Every process is killed on every path.
 */
@Timeout(120)
class ClusterJobCommandsTest {
    @TempDir
    static Path tmp;

    private static final LocalClusters CLUSTERS = new LocalClusters();
    private static Path dir;
    private static ClusterFile cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = tmp.resolve("cluster");
        cluster = CLUSTERS.start(dir, 1, 2);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        CLUSTERS.close();
    }

    private static String[] args(List<String> first, String... more) {
        return Stream.concat(first.stream(), Stream.of(more)).toArray(String[]::new);
    }

    /** The cluster is up: one worker, and every job listed is in a final state. */
    private static void assertClusterServes() {
        MainTest.Result status = MainTest.run("cluster", "status", "--dir", dir.toString());
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().contains(": 1 worker(s), 2 slot(s)"), status.toString());
        assertTrue(status.out().contains("slots 0/2 used"), "no slot is held: " + status);
    }

    @Test
    void aWrongTokenIsAClientErrorNamingTheToken() throws Exception {
        Path wrong = tmp.resolve("wrong-token");
        ClusterToken.create(wrong);
        MainTest.Result r = MainTest.assertError(1, List.of("refused the cluster token of " + wrong, "UNAUTHENTICATED",
                "not this cluster's token"), "run", "counts", "--input", "in.txt", "--output", "out",
                "--cluster", cluster.coordinator(), "--token-file", wrong.toString());
        assertEquals("", r.out());
        MainTest.assertError(1, List.of("UNAUTHENTICATED"), "list", "--cluster", cluster.coordinator(),
                "--token-file", wrong.toString());
        assertClusterServes();
    }

    @Test
    void aJarThatDoesNotExistIsAClientError() throws Exception {
        List<JobInfo> before;
        try (ClusterClient client = LocalClusters.client(dir)) {
            before = client.jobs();
        }
        MainTest.assertError(1, List.of("cannot read the jar /nope.jar"), "run", "com.x.Main", "--jar", "/nope.jar",
                "--cluster", dir.toString());
        try (ClusterClient client = LocalClusters.client(dir)) {
            assertEquals(before, client.jobs(), "nothing was submitted");
        }
        assertClusterServes();
    }

    /** Runs a job that fails; its client's last line says so (exit 1); the job's line in the list says why. */
    private static void assertJobFails(List<String> reason, String... args) throws Exception {
        MainTest.Result r = MainTest.run(args);
        assertEquals(1, r.exit(), r.toString());
        List<String> lines = r.errLines();
        assertTrue(lines.getFirst().startsWith("sluice: job job-") && lines.getFirst().contains(" submitted to "), r.toString());
        String last = lines.getLast();
        assertTrue(last.startsWith("sluice: Job job-") && last.contains(" failed: "), r.toString());
        for (String fragment : reason) {
            assertTrue(last.contains(fragment), "'" + fragment + "' in " + r);
        }
        assertTrue(!last.contains("null") && !last.contains("''"), r.toString());
        String jobId = last.substring("sluice: Job ".length(), last.indexOf(' ', "sluice: Job ".length()));
        MainTest.Result list = MainTest.run("list", "--cluster", dir.toString());
        String line = list.out().lines().filter(l -> l.startsWith(jobId + "  ")).findFirst().orElse("");
        assertTrue(line.startsWith(jobId + "  FAILED  -  (the job's main"), list.toString());
        assertClusterServes();
    }

    @Test
    void aJarWithoutTheMainClassFailsTheJobNamingTheClass() throws Exception {
        Path jar = tmp.resolve("empty.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new java.util.jar.JarEntry("README.txt"));
            out.write("no classes here".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertJobFails(List.of("the job's main failed: unknown job 'com.example.Missing'", "no such class in the given jars"),
                "run", "com.example.Missing", "--jar", jar.toString(), "--cluster", dir.toString());
    }

    @Test
    void mainsThatFailOrSubmitNothingFailTheJobWithTheReason() throws Exception {
        assertJobFails(List.of("the job's main failed: no input configured: pass --input"),
                "run", TestMains.Throws.class.getName(), "--cluster", dir.toString());
        assertJobFails(List.of("the job's main returned without starting a job"),
                "run", TestMains.SubmitsNothing.class.getName(), "--cluster", dir.toString());
    }

    /** Submits a job with {@code --detached}: only its id is printed. */
    private static String detached(String... args) {
        MainTest.Result r = MainTest.run(args(List.of(args), "--detached"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("job-\\d+\n"), "only the job id: " + r);
        assertEquals("", r.err(), r.toString());
        return r.out().strip();
    }

    private static void awaitState(String jobId, String state) throws Exception {
        try (ClusterClient client = LocalClusters.client(dir)) {
            LocalClusters.awaitTrue(() -> {
                JobInfo j = LocalClusters.job(client, jobId);
                return j != null && j.state().equals(state);
            }, 60, "job " + jobId + " is " + state);
        }
    }

    /**
     * Starts a slow job on both slots of the worker, then a second one that waits for them; their ids, holder first.
     */
    private static List<String> holderAndWaiter(String name) throws Exception {
        Path input = tmp.resolve("in-" + name + ".txt");
        CountsOracle.writeInput(input, name.hashCode(), 2_000);
        List<String> counts = List.of("run", "counts", "--input", input.toString(), "--parallelism", "2", "--rate", "200",
                "--progress-interval", "0", "--cluster", dir.toString());
        String holder = detached(args(counts, "--output", tmp.resolve("out-" + name + "-holder").toString()));
        awaitState(holder, "RUNNING");
        String waiter = detached(args(counts, "--output", tmp.resolve("out-" + name + "-waiter").toString()));
        awaitState(waiter, "WAITING"); // both slots are the holder's
        MainTest.Result status = MainTest.run("cluster", "status", "--dir", dir.toString());
        assertTrue(status.out().contains("slots 2/2 used"), "the holder's two slots are shown used: " + status);
        return List.of(holder, waiter);
    }

    private static void awaitNoSlotHeld() throws InterruptedException {
        LocalClusters.awaitTrue(() -> MainTest.run("cluster", "status", "--dir", dir.toString()).out()
                .contains("slots 0/2 used"), 30, "no slot held once both jobs were cancelled");
        assertClusterServes();
    }

    /**
     * A cancel that comes while a job waits for its first attempt's slots ends the job, and nothing of it runs later:
     * when the slots come back it does not take them (a lost cancel left the attempt deployed on slots of a job that
     * showed as cancelled).
     */
    @Test
    void aCancelWhileTheFirstAttemptWaitsForSlotsEndsTheJobAndItNeverTakesThem() throws Exception {
        List<String> jobs = holderAndWaiter("cancelled");
        try (ClusterClient client = LocalClusters.client(dir)) {
            client.cancel(jobs.get(1));
            awaitState(jobs.get(1), "CANCELLED");
            client.cancel(jobs.get(0));
            awaitState(jobs.get(0), "CANCELLED");
            Thread.sleep(500); // the waiting job's deployment looks for slots every 100 ms
            assertEquals("CANCELLED", client.job(jobs.get(1)).state());
        }
        awaitNoSlotHeld();
    }

    /** A job waiting for slots runs once a cancelled job frees them, and is cancelled in turn. */
    @Test
    void aJobWaitingForSlotsRunsOnTheSlotsACancelFrees() throws Exception {
        List<String> jobs = holderAndWaiter("waiting");
        try (ClusterClient client = LocalClusters.client(dir)) {
            client.cancel(jobs.get(0));
            awaitState(jobs.get(0), "CANCELLED");
            awaitState(jobs.get(1), "RUNNING");
            client.cancel(jobs.get(1));
            awaitState(jobs.get(1), "CANCELLED");
        }
        awaitNoSlotHeld();
    }

    @Test
    void aSavepointResumesACancelledJobOnTheFreedSlotsAndAStoppedOneResumesExactly() throws Exception {
        Path input = tmp.resolve("in.txt");
        Path output = tmp.resolve("out");
        Map<String, Integer> oracle = CountsOracle.writeInput(input, 314, 20_000);
        List<String> counts = List.of("run", "counts", "--input", input.toString(), "--output", output.toString(),
                "--parallelism", "2", "--progress-interval", "0", "--cluster", dir.toString());

        // Checkpoints only on demand (the interval outlasts the test): nothing commits after the savepoint.
        String first = detached(args(counts, "--checkpoint-interval", "1h", "--checkpoint-dir",
                tmp.resolve("ckp-1").toString(), "--rate", "3000"));
        awaitState(first, "RUNNING");
        Thread.sleep(1_000);
        MainTest.Result savepoint = MainTest.run("savepoint", first, tmp.resolve("sp-1").toString(), "--cluster", dir.toString());
        assertEquals(0, savepoint.exit(), savepoint.toString());
        String savepointPath = savepoint.out().strip();
        assertTrue(savepointPath.startsWith(tmp.resolve("sp-1").toString()) && Files.isDirectory(Path.of(savepointPath)),
                savepoint.toString());
        MainTest.Result cancel = MainTest.run("cancel", first, "--cluster", dir.toString());
        assertEquals(0, cancel.exit(), cancel.toString());
        assertEquals("Job " + first + " cancelled\n", cancel.out());
        MainTest.Result status = MainTest.run("cluster", "status", "--dir", dir.toString());
        assertTrue(status.out().contains("slots 0/2 used") && status.out().contains(first + "  CANCELLED  counts"),
                "the cancelled job holds no slot: " + status);
        long afterFirst = TransactionalFileSink.readCommitted(output).size();

        // Resumed from the savepoint: it needs both slots of the only worker, which the cancel freed.
        Path checkpoints = tmp.resolve("ckp-2");
        String second = detached(args(counts, "--checkpoint-interval", "300ms", "--checkpoint-dir", checkpoints.toString(),
                "--from-checkpoint", savepointPath, "--rate", "3000"));
        awaitState(second, "RUNNING");
        LocalClusters.awaitTrue(() -> LocalClusters.completedCheckpoints(checkpoints) >= 1, 60, "a checkpoint of " + second);
        MainTest.Result stop = MainTest.run("stop", second, "--savepoint-dir", tmp.resolve("sp-2").toString(),
                "--cluster", dir.toString());
        assertEquals(0, stop.exit(), stop.toString());
        String stopPath = stop.out().strip();
        assertTrue(stopPath.startsWith(tmp.resolve("sp-2").toString()), stop.toString());
        try (ClusterClient client = LocalClusters.client(dir)) {
            assertEquals("FINISHED", client.job(second).state(), "stopped with a savepoint, the job ended");
        }
        long afterSecond = TransactionalFileSink.readCommitted(output).size();
        assertTrue(afterFirst < afterSecond && afterSecond < CountsOracle.expectedLines(oracle),
                "each run was cut short: " + afterFirst + " then " + afterSecond + " lines committed");
        assertClusterServes();

        MainTest.Result third = MainTest.run(args(counts, "--checkpoint-interval", "300ms", "--checkpoint-dir",
                tmp.resolve("ckp-3").toString(), "--from-checkpoint", stopPath));
        assertEquals(0, third.exit(), third.toString());
        CountsOracle.checkCommitted(oracle, output, "savepoint, cancel, resume, stop with a savepoint, resume");
    }
}
