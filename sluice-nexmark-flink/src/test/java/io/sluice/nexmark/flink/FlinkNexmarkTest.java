package io.sluice.nexmark.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.loop.NexmarkLoops;
import io.sluice.nexmark.model.Auction;
import io.sluice.nexmark.model.Bid;
import io.sluice.nexmark.model.Event;
import io.sluice.nexmark.model.Person;
import io.sluice.nexmark.results.ResultDigest;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.run.RunLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Flink queries produce exactly the plain loops' results (the oracle of {@code docs/nexmark.md}): the sorted
 * {@code toString()} lines are equal, at parallelism 1 and 2, on heap and on RocksDB with checkpoints; and the
 * counting sink's count and digest equal the loop's. Each case runs a real Flink MiniCluster job.
 */
class FlinkNexmarkTest {
    /** 40 s of event time at 1,000 events per second: several windows of every kind, auctions that close. */
    private static final long EVENTS = 40_000;
    private static final long RATE = 1_000;

    @TempDir
    Path dir;

    private static FlinkNexmark.Options options(Query q, int parallelism, String backend, String checkpoints, Path output) {
        return new FlinkNexmark.Options(q, EVENTS, parallelism, backend, checkpoints, output, 7, RATE, "64m", 1);
    }

    private static NexmarkConfig config() {
        return options(Query.Q0, 1, "heap", null, null).config();
    }

    private static List<String> loopLines(Query q) {
        List<String> lines = new ArrayList<>();
        NexmarkLoops.run(q, config(), r -> lines.add(r.toString()));
        lines.sort(null);
        return lines;
    }

    private List<String> flinkLines(Query q, int parallelism, String backend, String checkpoints) throws Exception {
        Path out = dir.resolve(q.id() + "-p" + parallelism + "-" + backend + ".txt");
        FlinkNexmark.run(options(q, parallelism, backend, checkpoints, out));
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Query.class)
    void parallelismOneOnHeapGivesTheLoopsResults(Query q) throws Exception {
        List<String> expected = loopLines(q);
        assertTrue(!expected.isEmpty(), "the loop has results for " + q.id());
        assertEquals(expected, flinkLines(q, 1, "heap", null), q.id());
    }

    @ParameterizedTest
    @EnumSource(Query.class)
    void parallelismTwoOnHeapGivesTheLoopsResults(Query q) throws Exception {
        assertEquals(loopLines(q), flinkLines(q, 2, "heap", null), q.id());
    }

    @ParameterizedTest
    @EnumSource(value = Query.class, names = {"Q3", "Q4", "Q5", "Q7", "Q8", "Q11"})
    void rocksDbWithCheckpointsGivesTheLoopsResults(Query q) throws Exception {
        assertEquals(loopLines(q), flinkLines(q, 2, "rocksdb", "200ms"), q.id());
    }

    @ParameterizedTest
    @EnumSource(value = Query.class, names = {"Q0", "Q5", "Q7", "Q11"})
    void theCountingSinkCountsAndDigestsTheLoopsResults(Query q) throws Exception {
        long[] loop = new long[2];
        NexmarkLoops.run(q, config(), r -> {
            loop[0]++;
            loop[1] += ResultDigest.of(r);
        });
        RunLine line = FlinkNexmark.run(options(q, 2, "heap", null, null));
        assertEquals(loop[0], line.results(), "count");
        assertEquals(loop[1], line.digest(), "digest");
        assertEquals("flink", line.engine());
        assertTrue(line.nanos() > 0, "timed from the first record");
    }

    @Test
    void theStridedSplitsDealOutEveryIndexOnceAtAnyParallelism() {
        for (long n : new long[] {0, 1, 2, 7, 50, 1_001}) {
            for (int p = 1; p <= 4; p++) {
                long block = FlinkNexmarkSource.block(n, p);
                Set<Long> indices = new HashSet<>();
                for (int k = 0; k < p; k++) {
                    long count = FlinkNexmarkSource.strideCount(n, p, k);
                    for (long j = 0; j < count; j++) {
                        long s = k * block + j; // the sequence numbers of split k
                        long index = s % block * p + s / block;
                        assertEquals(k + j * p, index, "n=" + n + " p=" + p);
                        assertTrue(index < n && indices.add(index), "once and in range: n=" + n + " p=" + p);
                    }
                }
                assertEquals(n, indices.size(), "every index: n=" + n + " p=" + p);
            }
        }
    }

    /** Flink 2.3 analyses the Java records as POJOs: its own serializer, no Kryo fallback. */
    @Test
    void recordsAreFlinkPojos() {
        for (Class<?> c : List.of(Event.class, Person.class, Auction.class, Bid.class, AuctionWinner.Open.class,
                TopBids.Top.class, FlinkQueries.Joined.class)) {
            assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(c), c.getName());
        }
    }
}
