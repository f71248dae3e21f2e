package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import java.util.List;

/**
 * A user job's main class for {@code sluice run io.sluice.cli.SomeTestJob}: records what it saw, when defined and
 * while running. With arguments {@code paced N RATE} it reads 1..N at RATE records per second (long enough for
 * progress lines and checkpoints); otherwise 1..1000 at once.
 */
public final class SomeTestJob {
    static volatile int seenParallelism;
    static volatile List<String> seenArgs;
    static volatile List<Long> results;
    /** The job as defined: its settings and checkpointing. */
    static volatile JobGraph seenGraph;
    static volatile SubmitOptions seenSubmitOptions;
    /** The parallelism the running map function was told. */
    static volatile int runningParallelism;

    private SomeTestJob() {}

    public static void main(String[] args) throws Exception {
        StreamEnvironment env = StreamEnvironment.create();
        seenParallelism = env.getParallelism();
        seenArgs = List.of(args);
        seenSubmitOptions = env.getSubmitOptions();
        CollectSink<Long> sink = new CollectSink<>();
        boolean paced = args.length == 3 && args[0].equals("paced");
        (paced ? env.generateSequence(1, Long.parseLong(args[1]), Double.parseDouble(args[2])) : env.generateSequence(1, 1000))
                .map(new Doubling(), Types.LONG).sinkTo(sink);
        seenGraph = env.buildJobGraph("some test job");
        env.execute("some test job");
        results = sink.results();
        sink.clear();
    }

    /** Doubles each number, and tells the test its parallelism. */
    static final class Doubling implements MapFunction<Long, Long> {
        @Override
        public void open(RuntimeContext context) {
            runningParallelism = context.parallelism();
        }

        @Override
        public Long map(Long x) {
            return x * 2;
        }
    }

    static void reset() {
        seenParallelism = 0;
        seenArgs = null;
        results = null;
        seenGraph = null;
        seenSubmitOptions = null;
        runningParallelism = 0;
    }
}
