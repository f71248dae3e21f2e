package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.loop.NexmarkLoops;
import io.sluice.nexmark.results.ResultDigest;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.run.ResultCounter;
import io.sluice.nexmark.run.ResultLines;
import io.sluice.nexmark.run.RunClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every query on Sluice, at parallelism 1 and 2, produces exactly the plain loop's results (as sorted lines: equal
 * sets, no duplicates), for two generator configurations (seed in every message); also on RocksDB state, and
 * exactly once across a failure with checkpoints.
 */
class NexmarkQueriesTest {
    /** 20 s of event time at 10,000 events/s: two full tumbling windows, 10 sliding ones, auctions closing. */
    static final NexmarkConfig A = NexmarkConfig.of(200_000);
    /** 50 s of event time at 2,000 events/s, another seed: more windows and closed auctions per event. */
    static final NexmarkConfig B = NexmarkConfig.of(100_000).withSeed(7).withEventsPerSecond(2_000);

    private static final Map<String, List<String>> LOOP_RESULTS = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    static String describe(Query q, NexmarkConfig c) {
        return q.id() + " over " + c.events() + " events, seed " + c.seed() + ", " + c.eventsPerSecond() + " events/s";
    }

    /** The loop's sorted result lines (the oracle), computed once per query and configuration. */
    static List<String> loop(Query q, NexmarkConfig c) {
        return LOOP_RESULTS.computeIfAbsent(describe(q, c), k -> {
            List<Object> results = new ArrayList<>();
            NexmarkLoops.run(q, c, results::add);
            return ResultLines.sorted(results);
        });
    }

    /** Sluice's sorted result lines at parallelism {@code p}. */
    static List<String> sluice(Query q, NexmarkConfig c, int p, Consumer<StreamEnvironment> setup) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        setup.accept(env);
        CollectSink<Object> sink = new CollectSink<>();
        NexmarkJob.sink(NexmarkJob.define(env, q, c), sink, 0);
        env.execute("nexmark " + q.id());
        List<String> lines = ResultLines.sorted(sink.results());
        sink.clear();
        return lines;
    }

    static void assertSameLines(List<String> expected, List<String> actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        int i = 0;
        while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) {
            i++;
        }
        fail(what + ": the loop has " + expected.size() + " results, Sluice " + actual.size() + "; first difference at "
                + "sorted line " + i + ": loop <" + (i < expected.size() ? expected.get(i) : "end") + ">, Sluice <"
                + (i < actual.size() ? actual.get(i) : "end") + ">");
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (NexmarkConfig c : List.of(A, B)) {
            for (Query q : Query.values()) {
                for (int p : new int[] {1, 2}) {
                    cases.add(Arguments.of(q, c, p));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} p={2}")
    @MethodSource("cases")
    void sluiceProducesTheLoopsResults(Query q, NexmarkConfig c, int p) throws Exception {
        String what = describe(q, c) + " at parallelism " + p;
        List<String> expected = loop(q, c);
        assertFalse(expected.isEmpty(), "the loop has results: " + what);
        assertSameLines(expected, sluice(q, c, p, env -> {}), what);
    }

    /** The inputs are big enough that windows, sessions and auctions really complete, repeatedly. */
    @Test
    void theOracleSeesEveryQueryAtWork() {
        for (NexmarkConfig c : List.of(A, B)) {
            assertEquals(c.events() / 50 * 46, loop(Query.Q0, c).size(), describe(Query.Q0, c));
            assertTrue(loop(Query.Q3, c).size() > 100, describe(Query.Q3, c));
            assertEquals(5, loop(Query.Q4, c).size(), "all 5 categories have winners: " + describe(Query.Q4, c));
            assertTrue(windowEnds(loop(Query.Q5, c)) >= 9, "q5 windows: " + describe(Query.Q5, c));
            assertTrue(windowEnds(loop(Query.Q7, c)) >= 2, "q7 windows: " + describe(Query.Q7, c));
            assertTrue(windowEnds(loop(Query.Q8, c)) >= 2, "q8 windows: " + describe(Query.Q8, c));
            List<String> sessions = loop(Query.Q11, c);
            assertTrue(sessions.size() > 1000, describe(Query.Q11, c));
            assertTrue(sessions.stream().anyMatch(s -> !s.endsWith("bids=1]")), "sessions of several bids: " + describe(Query.Q11, c));
        }
    }

    /** The number of distinct {@code windowEnd=} values among result lines. */
    private static long windowEnds(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(".*windowEnd=(\\d+).*", "$1")).distinct().count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rocksDbQueries")
    void rocksDbStateGivesTheSameResults(Query q) throws Exception {
        assertSameLines(loop(q, B), sluice(q, B, 2, env -> env.setStateBackend("rocksdb")
                .setStateBackendOption("rocksdb.memory", "16mb")), describe(q, B) + " on RocksDB at parallelism 2");
    }

    static Stream<Query> rocksDbQueries() {
        return Stream.of(Query.Q4, Query.Q7, Query.Q11); // co-process state and timers, list values, merging windows
    }

    /**
     * With checkpoints every 20 ms and one failure after a completed checkpoint, the restored job's committed output
     * (a two-phase-commit sink) is exactly the loop's: window state, timers and source positions come back.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpointedQueries")
    void exactlyOnceAcrossAFailure(Query q) throws Exception {
        // Long enough (in records and in windows) that checkpoints complete and results follow while input remains,
        // however fast the engine gets: the failure comes with the first result written after a commit.
        NexmarkConfig c = NexmarkConfig.of(1_500_000).withSeed(11).withEventsPerSecond(2_000);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(20)).withDirectory(tmp.resolve(q.id()).toString()));
        env.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(10)));
        MemoryTransactionalSink sink = new MemoryTransactionalSink(true);
        NexmarkJob.sink(NexmarkJob.define(env, q, c), sink, 0);
        env.execute("nexmark " + q.id() + " with a failure");
        try {
            assertTrue(sink.failed(), "a checkpoint completed and the injected failure happened: " + describe(q, c));
            assertSameLines(loop(q, c), ResultLines.sorted(sink.committed()), describe(q, c) + " across a failure");
        } finally {
            sink.clear();
        }
    }

    static Stream<Query> checkpointedQueries() {
        return Stream.of(Query.Q5, Query.Q11);
    }

    /** The throughput sink's count and digest, and the sorted-lines file, match the loop's results. */
    @Test
    void countingAndFileSinksAgreeWithTheLoop() throws Exception {
        Query q = Query.Q7;
        List<Object> results = new ArrayList<>();
        NexmarkLoops.run(q, B, results::add);
        long digest = 0;
        for (Object r : results) {
            digest += ResultDigest.of(r);
        }

        RunClock.reset();
        ResultCounter.reset();
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        NexmarkJob.countResults(NexmarkJob.define(env, q, B));
        env.execute("nexmark counting");
        assertTrue(RunClock.started(), "the source marked its first record");
        assertTrue(RunClock.elapsedNanos() > 0);
        assertEquals(results.size(), ResultCounter.count(), describe(q, B));
        assertEquals(digest, ResultCounter.digest(), describe(q, B));

        Path file = tmp.resolve("q7.txt");
        ResultCounter.reset();
        StreamEnvironment env2 = StreamEnvironment.create().setParallelism(2);
        NexmarkJob.writeSortedLines(NexmarkJob.define(env2, q, B), file);
        env2.execute("nexmark lines");
        assertEquals(ResultLines.sorted(results), Files.readAllLines(file), describe(q, B));
        assertEquals(results.size(), ResultCounter.count());
        assertEquals(digest, ResultCounter.digest());
    }
}
