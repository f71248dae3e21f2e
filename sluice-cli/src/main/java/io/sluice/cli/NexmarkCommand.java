package io.sluice.cli;

import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.nexmark.NexmarkJob;
import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.loop.LoopMain;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.run.ResultCounter;
import io.sluice.nexmark.run.RunClock;
import io.sluice.nexmark.run.RunLine;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice run nexmark --query qN --events N}: one Nexmark query over generated events, timed from the first
 * event read to the job's end, ending in one {@code NEXMARK ...} line ({@link RunLine}); {@code --loop} runs the
 * plain-Java loop of the same query instead, the efficiency baseline.
 */
@Command(name = "nexmark",
        description = {"Runs a Nexmark query over N generated events and prints one line:",
            "NEXMARK engine=sluice query=qN events=N parallelism=P backend=B checkpoint=I millis=T eps=E results=R digest=D",
            "(time from the first event read to the job's end; results counted, digests summed, nothing formatted",
            "unless --output). Queries: q0, q1, q2, q3, q4, q5, q7, q8, q11, and kc, a keyed count over the bids (docs/nexmark.md)."})
final class NexmarkCommand implements Callable<Integer>, ClusterResultPrinter {

    @Spec
    CommandSpec spec;

    @Option(names = "--query", required = true, paramLabel = "qN", description = "The query: q0, q1, q2, q3, q4, q5, q7, q8 or q11.")
    String query;

    @Option(names = "--events", required = true, paramLabel = "N", description = "How many events to generate.")
    long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The generator's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--events-per-second", paramLabel = "R", defaultValue = "10000",
            description = "Event-time rate: events per event-time second, which sets how many events a window holds; "
                    + "not a throttle (default: ${DEFAULT-VALUE}).")
    long eventsPerSecond;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Also write every result's line, sorted, to FILE (for cross-checks; a sink of parallelism 1).")
    Path output;

    @Option(names = "--loop", description = "Run the plain single-threaded Java loop of the query instead (engine=loop).")
    boolean loop;

    @Mixin
    JobOptions options;

    @Override
    public Integer call() throws Exception {
        Query q;
        try {
            q = Query.parse(query);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (events < 0) {
            throw new ParameterException(spec.commandLine(), "--events must not be negative, was " + events);
        }
        if (eventsPerSecond < 1) {
            throw new ParameterException(spec.commandLine(), "--events-per-second must be positive, was " + eventsPerSecond);
        }
        NexmarkConfig config = NexmarkConfig.of(events).withSeed(seed).withEventsPerSecond(eventsPerSecond);
        if (loop) {
            System.out.println(LoopMain.run(q, config, output).format());
            return 0;
        }
        EnvironmentSettings settings = options.settings();
        RunClock.reset();
        ResultCounter.reset();
        StreamEnvironment env = StreamEnvironment.create(settings);
        var results = NexmarkJob.define(env, q, config);
        if (output != null) {
            NexmarkJob.writeSortedLines(results, output);
        } else {
            NexmarkJob.countResults(results);
        }
        JobResult result = JobRunner.execute(env, "nexmark " + q.id(), options);
        RunLine line = RunLine.now("sluice", q.id(), events, env.getParallelism(), options.stateBackend,
                options.checkpointInterval == null ? "none" : options.checkpointInterval);
        System.out.println(JobSummary.format(result));
        System.out.println(line.format());
        return 0;
    }

    /**
     * On a cluster the run's clock and counters live on the workers: the line takes the job's time (its attempt, from
     * deployment to its last task's end, a little more than from its first record) and the results the sink took in;
     * no digest (a check compares {@code --output} files instead).
     */
    @Override
    public void printClusterResult(JobResult result) {
        System.out.println(JobSummary.format(result));
        long results = result.operators().stream().filter(o -> o.name().equals("Results")).mapToLong(o -> o.recordsIn())
                .sum();
        RunLine line = new RunLine("sluice", Query.parse(query).id(), events, options.settings().parallelism(),
                options.stateBackend,
                options.checkpointInterval == null ? "none" : options.checkpointInterval, result.duration().toNanos(),
                results, 0);
        System.out.println(line.format());
    }
}
