package io.sluice.nexmark.loop;

import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.results.ResultDigest;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.run.ResultCounter;
import io.sluice.nexmark.run.ResultLines;
import io.sluice.nexmark.run.RunClock;
import io.sluice.nexmark.run.RunLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a plain-loop query ({@link NexmarkLoops}) and prints its {@link RunLine} with {@code engine=loop}:
 *
 * <pre>
 * java -cp ... io.sluice.nexmark.loop.LoopMain --query q5 --events 2000000 [--seed S] [--events-per-second R] [--output FILE]
 * </pre>
 *
 * (also {@code bin/sluice run nexmark --loop ...}). Results are counted and digested as the engines' sinks do;
 * {@code --output} also writes their sorted lines.
 */
public final class LoopMain {
    private LoopMain() {}

    public static void main(String[] args) throws Exception {
        Query query = null;
        NexmarkConfig config = NexmarkConfig.of(0);
        long events = -1;
        Path output = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--query" -> query = Query.parse(require(args[i], value));
                    case "--events" -> events = Long.parseLong(require(args[i], value));
                    case "--seed" -> config = config.withSeed(Long.parseLong(require(args[i], value)));
                    case "--events-per-second" -> config = config.withEventsPerSecond(Long.parseLong(require(args[i], value)));
                    case "--output" -> output = Path.of(require(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (query == null || events < 0) {
                throw new IllegalArgumentException("--query and --events are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("LoopMain: " + e.getMessage() + " (usage: --query qN --events N [--seed S] "
                    + "[--events-per-second R] [--output FILE])");
            System.exit(2);
            return;
        }
        config = NexmarkConfig.of(events).withSeed(config.seed()).withEventsPerSecond(config.eventsPerSecond());
        System.out.println(run(query, config, output).format());
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /**
     * Runs {@code query} as a loop, timed from its first event to its end, results counted into {@link ResultCounter}
     * (and written sorted to {@code output} if not null); returns the line to print. Resets {@link RunClock} and
     * {@link ResultCounter} first.
     */
    public static RunLine run(Query query, NexmarkConfig config, Path output) throws Exception {
        RunClock.reset();
        ResultCounter.reset();
        Counting counting = new Counting(output != null);
        NexmarkLoops.run(query, config, counting);
        long nanos = RunClock.elapsedNanos();
        ResultCounter.add(counting.count, counting.digest);
        if (output != null) {
            ResultLines.writeSorted(counting.lines, output);
        }
        return new RunLine("loop", query.id(), config.events(), 1, "heap", "none", nanos, counting.count, counting.digest,
                RunLine.currentPeakRssMb());
    }

    /** Counts and digests results, as the engines' sinks do; keeps their lines if asked to. */
    private static final class Counting implements Consumer<Object> {
        final List<String> lines;
        long count;
        long digest;

        Counting(boolean keepLines) {
            lines = keepLines ? new ArrayList<>() : null;
        }

        @Override
        public void accept(Object result) {
            count++;
            digest += ResultDigest.of(result);
            if (lines != null) {
                lines.add(result.toString());
            }
        }
    }
}
