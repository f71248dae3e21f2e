package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
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

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "exactly-once",
            description = "exactly-once (aligned barriers) or at-least-once (default: ${DEFAULT-VALUE}).")
    String mode;

    /** Applies the options to the process: built-in and main-class jobs alike read them when they start. */
    void apply() {
        applyCheckpointOptions();
        if (parallelism != null) {
            if (parallelism < 1) {
                throw new ParameterException(command.commandLine(), "--parallelism must be at least 1, was " + parallelism);
            }
            System.setProperty(StreamEnvironment.PARALLELISM_PROPERTY, parallelism.toString());
        } else {
            System.clearProperty(StreamEnvironment.PARALLELISM_PROPERTY); // an earlier command's, in this JVM
        }
        if (progressIntervalSeconds < 0) {
            throw new ParameterException(command.commandLine(), "--progress-interval must not be negative");
        }
        System.setProperty("sluice.progress.intervalMillis", Long.toString(progressIntervalSeconds * 1000L));
    }

    private void applyCheckpointOptions() {
        if (!stateBackend.equals("heap") && !stateBackend.equals("rocksdb")) {
            throw new ParameterException(command.commandLine(), "--state-backend must be heap or rocksdb, was '" + stateBackend + "'");
        }
        System.setProperty(StreamEnvironment.STATE_BACKEND_PROPERTY, stateBackend);
        StringBuilder options = new StringBuilder();
        for (String option : stateOptions) {
            int eq = option.indexOf('=');
            if (eq <= 0 || option.indexOf('\n') >= 0) {
                throw new ParameterException(command.commandLine(), "--state-option must be KEY=VALUE, was '" + option + "'");
            }
            options.append(option).append('\n');
        }
        // -Dsluice.state.dir, the RocksDB directory before rocksdb.local-dir existed, is read here, at the edge only.
        String stateDir = System.getProperty("sluice.state.dir");
        if (stateDir != null && stateOptions.stream().noneMatch(o -> o.startsWith("rocksdb.local-dir="))) {
            options.append("rocksdb.local-dir=").append(stateDir).append('\n');
        }
        if (options.isEmpty()) {
            System.clearProperty(StreamEnvironment.STATE_OPTIONS_PROPERTY); // an earlier command's, in this JVM
        } else {
            System.setProperty(StreamEnvironment.STATE_OPTIONS_PROPERTY, options.toString());
        }
        if (checkpointRetention != null) {
            if (checkpointRetention < 1) {
                throw new ParameterException(command.commandLine(), "--checkpoint-retention must be at least 1, was " + checkpointRetention);
            }
            System.setProperty(StreamEnvironment.CHECKPOINT_RETAINED_PROPERTY, checkpointRetention.toString());
        } else {
            System.clearProperty(StreamEnvironment.CHECKPOINT_RETAINED_PROPERTY);
        }
        if (!mode.equals("exactly-once") && !mode.equals("at-least-once")) {
            throw new ParameterException(command.commandLine(), "--mode must be exactly-once or at-least-once, was '" + mode + "'");
        }
        if (checkpointInterval != null) {
            long millis;
            try {
                millis = io.sluice.examples.WindowCount.parseDuration(checkpointInterval).toMillis();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command.commandLine(), "--checkpoint-interval: " + e.getMessage());
            }
            if (millis <= 0) {
                throw new ParameterException(command.commandLine(), "--checkpoint-interval must be positive, was " + checkpointInterval);
            }
            System.setProperty(StreamEnvironment.CHECKPOINT_INTERVAL_PROPERTY, Long.toString(millis));
            System.setProperty(StreamEnvironment.CHECKPOINT_MODE_PROPERTY, mode);
        } else {
            // Options not given must not come from an earlier command in this JVM (tests, embedding).
            System.clearProperty(StreamEnvironment.CHECKPOINT_INTERVAL_PROPERTY);
            System.clearProperty(StreamEnvironment.CHECKPOINT_MODE_PROPERTY);
        }
        setOrClear(StreamEnvironment.CHECKPOINT_DIR_PROPERTY, checkpointDir);
        setOrClear(StreamEnvironment.RESTORE_PROPERTY, fromCheckpoint == null ? null : resolveCheckpoint());
        setOrClear(StreamEnvironment.ALLOW_NON_RESTORED_STATE_PROPERTY, allowNonRestoredState ? "true" : null);
    }

    private static void setOrClear(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
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
