package io.sluice.api;

import io.sluice.api.execution.JobExecutor;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.graph.RestartStrategy;
import java.util.Objects;

/**
 * What a {@link StreamEnvironment} starts with, as typed values: the defaults a program's own calls
 * ({@code setParallelism}, {@code enableCheckpointing}, {@code setStateBackend}, {@code restoreFrom}, ...) then change.
 * A launcher builds one from its options, once, and hands it over explicitly: {@code bin/sluice run} installs it with
 * {@link EnvironmentContext} around the main method it calls, and creates its built-in jobs' environments with
 * {@link StreamEnvironment#create(EnvironmentSettings)}. Immutable and thread-safe; the {@code with...} methods return
 * changed copies.
 *
 * @param parallelism   the parallelism of operators that set none (at least 1)
 * @param config        the job's settings: key groups, watermark interval, state backend and its options
 * @param checkpointing how checkpoints are taken, or {@code null} for none
 * @param submitOptions how jobs are started: the checkpoint to resume from, whether unmatched state may be dropped,
 *                      progress lines
 * @param executor      who runs the jobs, or {@code null} for the runtime found on the classpath (the embedded cluster);
 *                      a cluster's coordinator sets its own here when it runs a submitted job's main
 * @param restartStrategy what happens when the job fails, or {@code null} for the default (no restart; with
 *                      checkpointing: fixed delay, 3 attempts)
 */
public record EnvironmentSettings(int parallelism, JobConfig config, CheckpointConfig checkpointing,
        SubmitOptions submitOptions, JobExecutor executor, RestartStrategy restartStrategy) {

    public EnvironmentSettings {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(submitOptions, "submitOptions");
    }

    /** Parallelism equal to the number of cores, default job settings, no checkpoints, a fresh start, no progress lines. */
    public static EnvironmentSettings defaults() {
        return new EnvironmentSettings(Runtime.getRuntime().availableProcessors(), JobConfig.defaults(), null,
                SubmitOptions.fresh(), null, null);
    }

    public EnvironmentSettings withParallelism(int value) {
        return new EnvironmentSettings(value, config, checkpointing, submitOptions, executor, restartStrategy);
    }

    public EnvironmentSettings withConfig(JobConfig value) {
        return new EnvironmentSettings(parallelism, value, checkpointing, submitOptions, executor, restartStrategy);
    }

    /** With checkpoints taken as {@code value} says; {@code null} for none. */
    public EnvironmentSettings withCheckpointing(CheckpointConfig value) {
        return new EnvironmentSettings(parallelism, config, value, submitOptions, executor, restartStrategy);
    }

    public EnvironmentSettings withSubmitOptions(SubmitOptions value) {
        return new EnvironmentSettings(parallelism, config, checkpointing, value, executor, restartStrategy);
    }

    /** With jobs run by {@code value}; {@code null}: the runtime found on the classpath. */
    public EnvironmentSettings withExecutor(JobExecutor value) {
        return new EnvironmentSettings(parallelism, config, checkpointing, submitOptions, value, restartStrategy);
    }

    /** With {@code value} as the restart strategy; {@code null}: the default. */
    public EnvironmentSettings withRestartStrategy(RestartStrategy value) {
        return new EnvironmentSettings(parallelism, config, checkpointing, submitOptions, executor, value);
    }
}
