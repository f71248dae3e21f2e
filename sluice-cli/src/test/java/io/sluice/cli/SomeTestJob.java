package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import java.util.List;

/** A user job's main class for {@code sluice run io.sluice.cli.SomeTestJob}: records what it saw. */
public final class SomeTestJob {
    static volatile int seenParallelism;
    static volatile List<String> seenArgs;
    static volatile List<Long> results;

    private SomeTestJob() {}

    public static void main(String[] args) throws Exception {
        StreamEnvironment env = StreamEnvironment.create();
        seenParallelism = env.getParallelism();
        seenArgs = List.of(args);
        CollectSink<Long> sink = new CollectSink<>();
        env.generateSequence(1, 1000).map(x -> x * 2, Types.LONG).sinkTo(sink);
        env.execute("some test job");
        results = sink.results();
        sink.clear();
    }

    static void reset() {
        seenParallelism = 0;
        seenArgs = null;
        results = null;
    }
}
