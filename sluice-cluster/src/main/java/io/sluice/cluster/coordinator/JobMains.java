package io.sluice.cluster.coordinator;

import io.sluice.api.execution.JobExecutor;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a submitted job's main on the coordinator, as Flink's application mode does: the command line knows the
 * built-in examples and how to call a main class, so it implements this. The main builds its graph and hands it to
 * {@code executor} (through {@link io.sluice.api.EnvironmentContext}); it may await the job, so this returns when the
 * main does, which may be when the job ends. Called on the job's own "job main" thread.
 */
@FunctionalInterface
public interface JobMains {

    /**
     * @param argv     the {@code bin/sluice run} arguments that define the job: a built-in example's name or a main
     *                 class, then its options (paths absolute)
     * @param jars     the job's jars, in the coordinator's blob store
     * @param executor where the job's environment submits its graph
     */
    void run(List<String> argv, List<Path> jars, JobExecutor executor) throws Exception;

    /** A coordinator that runs no job mains: every submission fails saying so. */
    static JobMains none() {
        return (argv, jars, executor) -> {
            throw new UnsupportedOperationException("this coordinator was started without a way to run job mains");
        };
    }
}
