package io.sluice.cli;

import io.sluice.api.EnvironmentContext;
import io.sluice.api.EnvironmentSettings;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobConfig;
import io.sluice.state.rocksdb.RocksDbOptions;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every job takes. */
final class JobOptions {

    /** The command using these options: bad values are a bad command line (exit 2), like unparsable ones. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--parallelism", paramLabel = "N", description = "Parallel subtasks per operator (default: cores).")
    Integer parallelism;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "3",
            description = "Seconds between progress lines on long jobs; 0 turns them off (default: ${DEFAULT-VALUE}).")
    int progressIntervalSeconds;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION",
            description = "Take a checkpoint this often, e.g. 10s or 500ms (default: no checkpoints).")
    String checkpointInterval;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Where checkpoints are kept.")
    String checkpointDir;

    @Option(names = "--from-checkpoint", paramLabel = "PATH|latest",
            description = "Resume from a retained checkpoint: its directory, or 'latest' under --checkpoint-dir.")
    String fromCheckpoint;

    @Option(names = "--state-backend", paramLabel = "heap|rocksdb", defaultValue = "heap",
            description = "Where keyed state lives (default: ${DEFAULT-VALUE}); rocksdb for state larger than memory.")
    String stateBackend;

    @Option(names = "--state-option", paramLabel = "KEY=VALUE",
            description = "A state backend option, repeatable, e.g. rocksdb.memory=256mb or rocksdb.incremental=false.")
    java.util.List<String> stateOptions = new java.util.ArrayList<>();

    @Option(names = "--checkpoint-retention", paramLabel = "N",
            description = "How many completed checkpoints to keep (default: 3).")
    Integer checkpointRetention;

    @Option(names = "--allow-non-restored-state",
            description = "Resuming: drop checkpointed state that matches no operator uid of the job (default: fail).")
    boolean allowNonRestoredState;

    @Option(names = "--savepoint-dir", paramLabel = "DIR",
            description = "On SIGTERM or Ctrl-C, stop the job with a savepoint in DIR (resume: --from-checkpoint PATH).")
    String savepointDir;

    @Option(names = "--restart-attempts", paramLabel = "N",
            description = "Restart a failed job at most N times, --restart-delay apart (default: none; with "
                    + "checkpoints 3).")
    Integer restartAttempts;

    @Option(names = "--restart-delay", paramLabel = "DURATION", defaultValue = "1s",
            description = "The delay before each restart, e.g. 500ms (default: ${DEFAULT-VALUE}).")
    String restartDelay;

    @Option(names = "--cluster", paramLabel = "DIR|HOST:PORT",
            description = "Run the job on a cluster: the directory of a local cluster (bin/sluice cluster start) or a "
                    + "coordinator's address; the job's main runs on the coordinator with these arguments.")
    String cluster;

    @Option(names = "--detached", description = "With --cluster: print the job's id and return once it is submitted.")
    boolean detached;

    @Option(names = "--token-file", paramLabel = "F", defaultValue = ".sluice/token",
            description = "With --cluster HOST:PORT: the cluster token's file (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path tokenFile;

    @Option(names = "--tls-dir", paramLabel = "DIR", description = "With --cluster: mutual TLS with the coordinator, "
            + "presenting DIR/client.pem and DIR/client.key and trusting DIR/ca.pem (default: a local cluster's own, else none).")
    java.nio.file.Path tlsDir;

    @Option(names = "--web-port", paramLabel = "P",
            description = "Without --cluster: serve the REST API, /metrics and the dashboard for this run on "
                    + "127.0.0.1:P (0: any free port), behind the token of --token-file (created if missing).")
    Integer webPort;

    /** The executor the job runs on when {@code --web-port} is given (its jobs are registered for the server). */
    io.sluice.api.execution.JobExecutor webExecutor;

    @Option(names = "--flush-timeout", paramLabel = "DURATION",
            description = "The longest a record waits in a partly filled batch before it is sent on, e.g. 10ms; 0 sends "
                    + "every record at once (lowest latency); full batches go at once (default: 100ms).")
    String flushTimeout;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "exactly-once",
            description = "exactly-once (aligned barriers) or at-least-once (default: ${DEFAULT-VALUE}).")
    String mode;

    /**
     * The options as the typed settings every environment of the job starts from, checked once: a bad value is a bad
     * command line. Built-in jobs create their environment from them; a main class gets them through
     * {@link io.sluice.api.EnvironmentContext}. Nothing is set on the process, so no command leaves anything behind.
     */
    EnvironmentSettings settings() {
        JobConfig config = stateBackendConfig();
        CheckpointConfig checkpointing = checkpointing();
        String restorePath = fromCheckpoint == null ? null : resolveCheckpoint();
        if (parallelism != null && parallelism < 1) {
            throw new ParameterException(command.commandLine(), "--parallelism must be at least 1, was " + parallelism);
        }
        if (progressIntervalSeconds < 0) {
            throw new ParameterException(command.commandLine(), "--progress-interval must not be negative");
        }
        // The launcher's executor is kept: a cluster's coordinator runs this command with its own.
        EnvironmentSettings defaults = EnvironmentSettings.defaults().withExecutor(webExecutor != null ? webExecutor
                : EnvironmentContext.current().executor());
        return defaults.withParallelism(parallelism != null ? parallelism : defaults.parallelism())
                .withConfig(config)
                .withCheckpointing(checkpointing)
                .withRestartStrategy(restartStrategy())
                .withSubmitOptions(SubmitOptions.fresh().withRestorePath(restorePath)
                        .withAllowNonRestoredState(allowNonRestoredState)
                        .withProgressInterval(Duration.ofSeconds(progressIntervalSeconds)));
    }

    /** --restart-attempts and --restart-delay; {@code null} for the default. */
    private io.sluice.api.graph.RestartStrategy restartStrategy() {
        if (restartAttempts == null) {
            return null;
        }
        if (restartAttempts < 0) {
            throw new ParameterException(command.commandLine(), "--restart-attempts must not be negative, was " + restartAttempts);
        }
        Duration delay = duration("--restart-delay", restartDelay);
        return restartAttempts == 0 ? io.sluice.api.graph.RestartStrategy.none()
                : io.sluice.api.graph.RestartStrategy.fixedDelay(restartAttempts, delay);
    }

    /** The value of duration option {@code option}; one that does not parse is a bad command line naming it. */
    private Duration duration(String option, String value) {
        try {
            return io.sluice.examples.WindowCount.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** --state-backend, --state-option and --flush-timeout. */
    private JobConfig stateBackendConfig() {
        if (!stateBackend.equals("heap") && !stateBackend.equals("rocksdb")) {
            throw new ParameterException(command.commandLine(), "--state-backend must be heap or rocksdb, was '" + stateBackend + "'");
        }
        JobConfig config = JobConfig.defaults().withStateBackend(stateBackend);
        for (String option : stateOptions) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(command.commandLine(), "--state-option must be KEY=VALUE, was '" + option + "'");
            }
            config = config.withStateBackendOption(option.substring(0, eq), option.substring(eq + 1));
        }
        if (flushTimeout != null) {
            config = config.withFlushTimeout(duration("--flush-timeout", flushTimeout));
        }
        // -Dsluice.state.dir, the RocksDB directory before rocksdb.local-dir existed, is read here, at the edge only.
        String stateDir = System.getProperty("sluice.state.dir");
        if (stateDir != null && !config.stateBackendOptions().containsKey(RocksDbOptions.LOCAL_DIR)) {
            config = config.withStateBackendOption(RocksDbOptions.LOCAL_DIR, stateDir);
        }
        return config;
    }

    /** --checkpoint-interval, --checkpoint-dir, --checkpoint-retention and --mode; {@code null} without an interval. */
    private CheckpointConfig checkpointing() {
        if (checkpointRetention != null && checkpointRetention < 1) {
            throw new ParameterException(command.commandLine(), "--checkpoint-retention must be at least 1, was " + checkpointRetention);
        }
        if (!mode.equals("exactly-once") && !mode.equals("at-least-once")) {
            throw new ParameterException(command.commandLine(), "--mode must be exactly-once or at-least-once, was '" + mode + "'");
        }
        if (checkpointInterval == null) {
            return null;
        }
        Duration interval = duration("--checkpoint-interval", checkpointInterval);
        if (interval.toMillis() <= 0) {
            throw new ParameterException(command.commandLine(), "--checkpoint-interval must be positive, was " + checkpointInterval);
        }
        CheckpointConfig checkpoints = CheckpointConfig.every(Duration.ofMillis(interval.toMillis()))
                .withDirectory(checkpointDir)
                .withMode(mode.equals("at-least-once") ? CheckpointConfig.Mode.AT_LEAST_ONCE : CheckpointConfig.Mode.EXACTLY_ONCE);
        return checkpointRetention == null ? checkpoints : checkpoints.withRetained(checkpointRetention);
    }

    /** A checkpoint path, or the newest completed checkpoint under --checkpoint-dir for 'latest'. */
    private String resolveCheckpoint() {
        if (!fromCheckpoint.equals("latest")) {
            return fromCheckpoint;
        }
        if (checkpointDir == null) {
            throw new ParameterException(command.commandLine(), "--from-checkpoint latest needs --checkpoint-dir");
        }
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(checkpointDir))) {
            throw new IllegalArgumentException("no completed checkpoint under " + checkpointDir + " (no such directory)");
        }
        try {
            var storage = new io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage(java.nio.file.Path.of(checkpointDir));
            var latest = storage.latestCompletedId();
            if (latest.isEmpty()) {
                throw new IllegalArgumentException("no completed checkpoint under " + checkpointDir);
            }
            return storage.checkpointDirectory(latest.getAsLong()).toString();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read checkpoints under " + checkpointDir + ": " + e.getMessage(), e);
        }
    }
}
