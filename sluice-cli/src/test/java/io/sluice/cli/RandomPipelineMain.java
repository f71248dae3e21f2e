package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.connectors.file.TextFileSink;
import io.sluice.runtime.job.RandomPipelineTest;

/**
 * The random pipeline of a seed ({@link RandomPipelineTest#define}) as a job's main, writing its output as lines
 * into a file or directory: {@code run io.sluice.cli.RandomPipelineMain SEED OUTPUT}. Its environment is the
 * launcher's, so on a cluster it runs there.
 */
public final class RandomPipelineMain {
    private RandomPipelineMain() {}

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        StreamEnvironment env = StreamEnvironment.create();
        RandomPipelineTest.define(seed, env, new TextFileSink<Long>(args[1]), false);
        env.execute("random-" + seed);
    }
}
