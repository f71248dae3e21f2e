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

    /** Applies the options to the process: built-in and main-class jobs alike read them when they start. */
    void apply() {
        if (parallelism != null) {
            if (parallelism < 1) {
                throw new ParameterException(command.commandLine(), "--parallelism must be at least 1, was " + parallelism);
            }
            System.setProperty(StreamEnvironment.PARALLELISM_PROPERTY, parallelism.toString());
        }
        if (progressIntervalSeconds < 0) {
            throw new ParameterException(command.commandLine(), "--progress-interval must not be negative");
        }
        System.setProperty("sluice.progress.intervalMillis", Long.toString(progressIntervalSeconds * 1000L));
    }
}
