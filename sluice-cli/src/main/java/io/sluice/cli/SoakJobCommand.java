package io.sluice.cli;

import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.cli.soak.SoakFaults;
import io.sluice.cli.soak.SoakJob;
import io.sluice.cli.soak.SoakPlan;
import io.sluice.cli.soak.SoakVariant;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code sluice run soak-job --seed S --round-dir DIR [job options]}: internal, hidden. One run of a soak round's job,
 * in the child JVM that {@code sluice soak} starts (and may kill and resume with {@code --from-checkpoint latest}). The
 * job and its faults come from the seed ({@link SoakPlan}); checkpointing, state backend and parallelism from the job
 * options, as for any job.
 */
@Command(name = "soak-job", hidden = true,
        description = "Internal: one run of a soak round's job, started by 'sluice soak' in a child JVM.")
final class SoakJobCommand implements Callable<Integer> {

    @Option(names = "--seed", required = true, paramLabel = "S", description = "The round's seed.")
    long seed;

    @Option(names = "--round-dir", required = true, paramLabel = "DIR", description = "The round's directory.")
    Path roundDir;

    @Option(names = "--scale", defaultValue = "1", paramLabel = "X", description = "Input size factor.")
    double scale;

    @Option(names = "--break-sink", description = "Drop the lines of one key in the sink.")
    boolean breakSink;

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
        SoakPlan plan;
        try {
            plan = SoakPlan.fromSeed(seed, new SoakVariant(scale, breakSink));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(options.command.commandLine(), e.getMessage());
        }
        EnvironmentSettings settings = options.settings();
        SoakFaults.arm(plan.faults(), SoakJob.firedLog(roundDir));
        StreamEnvironment env = StreamEnvironment.create(settings);
        SoakJob.define(env, plan, roundDir);
        JobResult result = JobRunner.execute(env, "soak " + seed, options);
        System.out.println(JobSummary.format(result));
        return 0;
    }
}
