package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.sink.CollectSink;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Settings handed to a program reach the environments it creates, for exactly as long as it runs, on its thread. */
class EnvironmentContextTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static EnvironmentSettings launcherSettings(int parallelism) {
        return EnvironmentSettings.defaults().withParallelism(parallelism)
                .withConfig(JobConfig.defaults().withStateBackend("rocksdb").withStateBackendOption("rocksdb.memory", "32mb"))
                .withCheckpointing(CheckpointConfig.every(Duration.ofMillis(250)).withDirectory("/checkpoints"))
                .withSubmitOptions(SubmitOptions.fresh().withRestorePath("/checkpoints/chk-7").withProgressInterval(Duration.ofSeconds(3)));
    }

    private static JobGraph someJob(StreamEnvironment env) {
        env.fromElements(1L, 2L).sinkTo(new CollectSink<>());
        return env.buildJobGraph("job");
    }

    @Test
    void aProgramsEnvironmentsStartFromTheLaunchersSettings() {
        EnvironmentSettings settings = launcherSettings(CORES + 2);
        JobGraph graph = EnvironmentContext.callWith(settings, () -> {
            StreamEnvironment env = StreamEnvironment.create();
            assertEquals(CORES + 2, env.getParallelism());
            assertEquals(settings.submitOptions(), env.getSubmitOptions());
            assertEquals("/checkpoints/chk-7", env.restorePath());
            return someJob(env);
        });
        assertEquals(settings.config(), graph.config());
        assertEquals(settings.checkpointing(), graph.checkpointing());
        assertEquals(CORES + 2, graph.nodes().getFirst().parallelism());
        assertEquals(RestartStrategy.fixedDelay(3, Duration.ofSeconds(1)), graph.restartStrategy(),
                "checkpointing from the launcher brings the default restart strategy, as enableCheckpointing does");
    }

    @Test
    void theProgramsOwnCallsOverrideTheLaunchersSettings() {
        StreamEnvironment env = EnvironmentContext.callWith(launcherSettings(5), () -> StreamEnvironment.create()
                .setParallelism(2).setStateBackend("heap").restoreFrom("/elsewhere").setAllowNonRestoredState(true));
        assertEquals(2, env.getParallelism());
        assertEquals("heap", env.getConfig().stateBackend());
        assertEquals(new SubmitOptions("/elsewhere", true, Duration.ofSeconds(3)), env.getSubmitOptions());
    }

    @Test
    void outsideTheProgramAndAfterItThrowsTheDefaultsApply() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EnvironmentContext.callWith(
                launcherSettings(CORES + 1), () -> {
                    throw new IllegalStateException("the program fails");
                }));
        assertEquals("the program fails", e.getMessage());
        StreamEnvironment env = StreamEnvironment.create();
        assertEquals(CORES, env.getParallelism());
        assertEquals(SubmitOptions.fresh(), env.getSubmitOptions());
        JobGraph graph = someJob(env);
        assertEquals(JobConfig.defaults(), graph.config());
        assertNull(graph.checkpointing());
    }

    @Test
    void nestedProgramsSeeTheirOwnSettingsAndTheOuterOnesAfterwards() {
        EnvironmentContext.callWith(launcherSettings(CORES + 1), () -> {
            int inner = EnvironmentContext.callWith(launcherSettings(CORES + 2), () -> StreamEnvironment.create().getParallelism());
            assertEquals(CORES + 2, inner);
            assertEquals(CORES + 1, StreamEnvironment.create().getParallelism());
            return null;
        });
    }

    @Test
    void programsRunningAtOnceOnTwoThreadsEachSeeTheirOwn() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> a = threads.submit(() -> EnvironmentContext.callWith(launcherSettings(CORES + 1), () -> {
                bothInside.countDown();
                bothInside.await();
                return StreamEnvironment.create().getParallelism();
            }));
            Future<Integer> b = threads.submit(() -> EnvironmentContext.callWith(launcherSettings(CORES + 2), () -> {
                bothInside.countDown();
                bothInside.await();
                return StreamEnvironment.create().getParallelism();
            }));
            assertEquals(CORES + 1, a.get());
            assertEquals(CORES + 2, b.get());
            // The pool's threads ran the programs and keep nothing of them.
            assertEquals(CORES, threads.submit(() -> StreamEnvironment.create().getParallelism()).get());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void explicitSettingsIgnoreTheContext() {
        EnvironmentSettings explicit = EnvironmentSettings.defaults().withParallelism(1);
        StreamEnvironment env = EnvironmentContext.callWith(launcherSettings(5), () -> StreamEnvironment.create(explicit));
        assertEquals(1, env.getParallelism());
        assertSame(explicit.submitOptions(), env.getSubmitOptions());
    }

    @Test
    void badSettingsAreRejectedNamingWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentSettings.defaults().withParallelism(0));
        assertEquals("parallelism must be at least 1, was 0", e.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> SubmitOptions.fresh().withProgressInterval(Duration.ofSeconds(-1)));
        assertEquals("the progress interval must not be negative, was PT-1S", negative.getMessage());
    }
}
