package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.connectors.file.TextFileSource;
import io.sluice.examples.RateLimitedSource;
import io.sluice.examples.RunningCounts;
import java.nio.file.Path;

/**
 * The built-in {@code counts} job ({@link RunningCounts}: the same operators, uids and transactional file sink) whose
 * source does not end before a file exists ({@link HeldSource}), so a test decides when it may finish:
 * {@code run io.sluice.cli.HeldCountsJob --input PATH --output DIR --rate LINES_PER_S --release FILE [job options]}.
 */
public final class HeldCountsJob {
    private HeldCountsJob() {}

    public static void main(String[] args) throws Exception {
        String input = MainArgs.value(args, "--input");
        double rate = Double.parseDouble(MainArgs.value(args, "--rate"));
        Path release = Path.of(MainArgs.value(args, "--release"));
        StreamEnvironment env = StreamEnvironment.create();
        RunningCounts.define(env, new HeldSource<>(RateLimitedSource.of(new TextFileSource(input), rate), release),
                "Read " + input, MainArgs.value(args, "--output"));
        env.execute("counts");
    }
}
