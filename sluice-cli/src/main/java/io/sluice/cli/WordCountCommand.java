package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.examples.WordCount;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice run wordcount --input PATH --output FILE}: the final count of each word. */
@Command(name = "wordcount", description = "Counts words: writes one 'word<TAB>count' line per word.")
final class WordCountCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "A text file or a directory of them.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The file to write.")
    String output;

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
        StreamEnvironment env = StreamEnvironment.create(options.settings());
        WordCount.define(env, input, output);
        JobResult result = JobRunner.execute(env, "wordcount", options);
        System.out.println(JobSummary.format(result));
        return 0;
    }
}
