package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.connectors.file.TextFileSink;
import io.sluice.runtime.window.WindowRandomJobTest;

/**
 * The windowed job of a seed ({@link WindowRandomJobTest#define}: event time, tumbling, sliding or session windows,
 * four window functions, a late-data side output) as a job's main: {@code run io.sluice.cli.RandomWindowsMain SEED
 * OUTPUT LATE_OUTPUT}, results as lines into OUTPUT and late records into LATE_OUTPUT.
 */
public final class RandomWindowsMain {
    private RandomWindowsMain() {}

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        StreamEnvironment env = StreamEnvironment.create();
        WindowRandomJobTest.define(seed, env, new TextFileSink<String>(args[1]), new TextFileSink<Object>(args[2]), false);
        env.execute("windows-" + seed);
    }
}
