package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.coordinator.Coordinator;
import io.sluice.cluster.coordinator.Jobs;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.worker.Worker;
import io.sluice.network.ClusterToken;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import io.sluice.cluster.worker.WorkerDataPlane;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each job on a cluster gets its own class loader over its jar, on the coordinator (its main) and on the worker (its
 * functions), closed when the job ends: after 50 submissions of a job whose classes exist only in its jar, the
 * loaders of ended jobs are collected (so metaspace does not grow with submissions). Coordinator and worker run in
 * this JVM so the test can see their loaders; the jar is compiled here.
 */
class ClusterJobClassLoadersTest {
    private static final int SUBMISSIONS = 50;

    private static final String JOB = """
            package metajob;

            import io.sluice.api.StreamEnvironment;
            import io.sluice.api.functions.MapFunction;
            import io.sluice.api.types.Types;

            public final class MetaJob {
                public static void main(String[] args) throws Exception {
                    io.sluice.cli.LoaderProbe.record(MetaJob.class.getClassLoader());
                    StreamEnvironment env = StreamEnvironment.create();
                    env.setParallelism(1);
                    env.generateSequence(1, 100).map(new Plus(), Types.LONG).sinkTo(new io.sluice.api.sink.DiscardingSink<>());
                    env.execute("meta");
                }

                public static final class Plus implements MapFunction<Long, Long> {
                    static {
                        io.sluice.cli.LoaderProbe.record(Plus.class.getClassLoader());
                    }

                    @Override
                    public Long map(Long x) {
                        return x + 1;
                    }
                }
            }
            """;

    @ParameterizedTest(name = "tasks spread: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(240)
    void theClassLoadersOfEndedJobsAreCollected(boolean spread, @TempDir Path tmp) throws Exception {
        Path jar = compileJobJar(tmp);
        ClusterToken token = ClusterToken.create(tmp.resolve("token"));
        LoaderProbe.clear();
        try (WorkerDataPlane data = WorkerDataPlane.start(token, java.util.Optional.empty());
                Coordinator coordinator = Coordinator.start(Coordinator.Settings.defaults(), token, tmp.resolve("coordinator"),
                        new Jobs.Settings(tmp.resolve("ckp"), 30_000, Main::runJobMain, spread));
                Worker worker = Worker.join("127.0.0.1", coordinator.address().getPort(), token, java.util.Optional.empty(),
                        RegisterRequest.newInstance("127.0.0.1", data.port(), 2, ProcessHandle.current().pid()),
                        tmp.resolve("worker"), data, () -> {});
                ClusterClient client = new ClusterClient("127.0.0.1", coordinator.address().getPort(), token, java.util.Optional.empty())) {
            String hash = client.uploadJar(jar);
            long metaspaceAfterFirst = 0;
            for (int i = 0; i < SUBMISSIONS; i++) {
                String id = client.submit(List.of("metajob.MetaJob"), List.of(hash));
                JobInfo job = awaitEnd(client, id);
                assertEquals("FINISHED", job.state(), "submission " + (i + 1) + ": " + job);
                if (i == 0) {
                    metaspaceAfterFirst = metaspaceUsedAfterGc();
                }
            }
            assertEquals(hash, client.uploadJar(jar), "the same jar is the same blob, not uploaded again");
            // Per submission: the main and its function on the coordinator (one loader), the function on the worker.
            // Spread, the coordinator's supervisor reads the graph (its function) once more, in the main's loader.
            assertTrue(LoaderProbe.recorded() >= 3 * SUBMISSIONS,
                    "each submission loaded the job's classes in a loader of its own on the coordinator and the worker");
            long alive = LoaderProbe.alive();
            // The last jobs' threads and loaders are let go asynchronously (a worker closes an attempt after reporting
            // its end): up to 10 s of collections for them, which a loader kept by anything would never pass.
            for (int i = 0; i < 100 && alive > 0; i++) {
                Thread.sleep(50);
                metaspaceUsedAfterGc();
                alive = LoaderProbe.alive();
            }
            long growth = metaspaceUsedAfterGc() - metaspaceAfterFirst;
            assertEquals(0, alive, "class loaders of ended jobs still reachable (metaspace grew " + growth / 1024 + " KiB)");
            assertEquals(0, worker.runningJobs());
        }
    }

    private static JobInfo awaitEnd(ClusterClient client, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JobInfo job = client.job(id);
            if (List.of("FINISHED", "FAILED", "CANCELLED").contains(job.state())) {
                return job;
            }
            assertTrue(System.nanoTime() < deadline, "job " + id + " ends within 30 s: " + job);
            Thread.sleep(20);
        }
    }

    private static long metaspaceUsedAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getName().equals("Metaspace"))
                .mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    /** Compiles the job into a jar of its own: its classes are on no class path of this JVM. */
    private static Path compileJobJar(Path tmp) throws Exception {
        Path src = tmp.resolve("src/metajob/MetaJob.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, JOB, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int exit = javac.run(null, null, System.err, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, exit, "the job compiles");
        Path jar = tmp.resolve("metajob.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }
}
