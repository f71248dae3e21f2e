package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.examples.RunningCounts;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice run counts --input PATH --output DIR [--rate EVENTS_PER_S]}: running word counts into a transactional
 * file sink; with {@code --checkpoint-interval}, exactly-once across failures and resumes.
 */
@Command(name = "counts", description = "Writes 'word<TAB>n' for every word occurrence (n: the word's running count) "
        + "into committed part files in DIR.")
final class CountsCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "A text file or a directory of them.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The directory of committed part files.")
    String output;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "0",
            description = "Read at most this many lines per second (default: as fast as possible).")
    double rate;

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
        if (rate < 0) {
            throw new picocli.CommandLine.ParameterException(options.command.commandLine(), "--rate must not be negative");
        }
        StreamEnvironment env = StreamEnvironment.create(options.settings());
        RunningCounts.define(env, input, output, rate);
        JobResult result = JobRunner.execute(env, "counts", options);
        System.out.println(JobSummary.format(result));
        return 0;
    }
}
