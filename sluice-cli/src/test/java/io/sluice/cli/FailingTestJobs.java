package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;

/** Main classes that fail, for the CLI's error reporting. */
final class FailingTestJobs {
    private FailingTestJobs() {}

    /** Fails before defining a job, with a two-line message. */
    public static final class ThrowsInMain {
        public static void main(String[] args) {
            throw new IllegalStateException("the job refuses\nto run");
        }
    }

    /** Defines a job whose map function throws while it runs. */
    public static final class FailsWhileRunning {
        public static void main(String[] args) throws Exception {
            StreamEnvironment env = StreamEnvironment.create();
            CollectSink<Long> sink = new CollectSink<>();
            env.generateSequence(1, 100_000).map(x -> {
                if (x == 5000) {
                    throw new ArithmeticException("no five thousands here");
                }
                return x;
            }, Types.LONG).sinkTo(sink);
            try {
                env.execute("failing job");
            } finally {
                sink.clear();
            }
        }
    }
}
