package io.sluice.cli;

import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.examples.WindowCount;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice run windowcount --input FILE --output FILE --window SPEC --out-of-orderness DURATION}: records per
 * key and event-time window.
 */
@Command(name = "windowcount",
        description = {"Counts 'key,timestampMillis' lines per key and event-time window: writes one",
            "'key<TAB>windowStart<TAB>windowEnd<TAB>count' line per window (end exclusive; a session ends its gap after",
            "its last record). Records arriving after all their windows fired are late: counted, not written."})
final class WindowCountCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "A file of key,timestampMillis lines, or a directory of them.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The file to write.")
    String output;

    @Option(names = "--window", required = true, paramLabel = "SPEC",
            description = "tumbling:SIZE, sliding:SIZE/SLIDE or session:GAP, e.g. tumbling:10s, sliding:10s/2s, session:5s.")
    String window;

    @Option(names = "--out-of-orderness", required = true, paramLabel = "DURATION",
            description = "How far behind the largest timestamp seen records may be and still count, e.g. 500ms, 10s, 2m.")
    String outOfOrderness;

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
        EnvironmentSettings settings = options.settings();
        Duration bound;
        try {
            WindowCount.parseWindow(window);
            bound = WindowCount.parseDuration(outOfOrderness);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (e.getMessage().startsWith("bad window") ? "" : "--out-of-orderness: ")
                    + e.getMessage());
        }
        StreamEnvironment env = StreamEnvironment.create(settings);
        WindowCount.define(env, input, output, window, bound);
        JobResult result = JobRunner.execute(env, "windowcount", options);
        System.out.println(JobSummary.format(result));
        System.out.println("Late records (not counted): " + result.operator(WindowCount.LATE_SINK).recordsIn());
        return 0;
    }
}
