package io.sluice.connectors.file;

import static io.sluice.connectors.file.RandomTextFile.assertSameLines;
import static io.sluice.connectors.file.RandomTextFile.assertSameSequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.types.Types;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text file sink: one file or part files, UTF-8, and nothing under a final name when the job fails. */
class TextFileSinkTest {

    @TempDir
    Path tmp;

    /** Seeded random records: Unicode, empty ones, punctuation; no line ends (a record is one line). */
    private static List<String> records(long seed, int count) {
        Random random = new Random(seed);
        String alphabet = "abcXYZ 019,.;\t-_éßÖ€中文😀𝐀\"'";
        int[] cps = alphabet.codePoints().toArray();
        List<String> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(10) == 0 ? 0 : random.nextInt(40);
            for (int j = 0; j < length; j++) {
                sb.appendCodePoint(cps[random.nextInt(cps.length)]);
            }
            result.add(sb.toString());
        }
        return result;
    }

    private static List<String> readLines(Path file) throws IOException {
        return RandomTextFile.splitManually(Files.readAllBytes(file));
    }

    private static List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void parallelismOneWritesTheFileInOrder() throws Exception {
        List<String> records = records(1, 5000);
        Path out = tmp.resolve("sub/dir/out.txt"); // parent directories are created
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        env.fromCollection(records, Types.STRING).sinkTo(new TextFileSink<>(out.toString()));
        env.execute("write");
        assertSameSequence(records, readLines(out), "seed 1");
        assertEquals(List.of("sub/dir/out.txt"), filesUnder(tmp), "no other file (no in-progress file) is left");
    }

    @Test
    void anExistingFileIsReplacedAndTheFormatterIsUsed() throws Exception {
        Path out = Files.writeString(tmp.resolve("out.tsv"), "old content\nthat must go\n");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        env.fromCollection(List.of(3L, 1L, 2L), Types.LONG)
                .sinkTo(new TextFileSink<Long>(out.toString(), n -> "n=" + n + "\tsquare=" + n * n));
        env.execute("write");
        assertEquals("n=3\tsquare=9\nn=1\tsquare=1\nn=2\tsquare=4\n", Files.readString(out));
        assertEquals(List.of("out.tsv"), filesUnder(tmp));
    }

    @Test
    void parallelismThreeWritesPartFilesWhoseUnionIsTheInput() throws Exception {
        List<String> records = records(2, 30_000);
        Path out = tmp.resolve("out");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(3);
        env.fromCollection(records, Types.STRING).rebalance().map(s -> s, Types.STRING)
                .sinkTo(new TextFileSink<>(out.toString()));
        env.execute("write");
        assertEquals(List.of("part-0", "part-1", "part-2"), filesUnder(out), "exactly the part files, seed 2");
        List<String> union = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> part = readLines(out.resolve("part-" + i));
            assertFalse(part.isEmpty(), "part-" + i + " is empty, seed 2");
            union.addAll(part);
        }
        assertSameLines(records, union, "union of the part files, seed 2");
        // The output directory reads back as input.
        assertSameLines(records, TextFileSourceSplitTest.readWithJob(out, 64 * 1024, 2), "read back, seed 2");
    }

    @Test
    void aFailedJobAtParallelismOneLeavesNoFile() throws Exception {
        Path out = tmp.resolve("out.txt");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        env.fromCollection(records(3, 20_000), Types.STRING).map(new FailAfter(5000), Types.STRING)
                .sinkTo(new TextFileSink<>(out.toString()));
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("fail"));
        assertTrue(e.getMessage().contains("boom after 5000 records"), e.getMessage());
        assertFalse(Files.exists(out), "a file under the final name");
        assertEquals(List.of(), filesUnder(tmp), "files left behind");
    }

    @Test
    void aFailedJobAtParallelismThreeLeavesNoFile() throws Exception {
        Path out = tmp.resolve("out");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(3);
        // Every subtask gets 10,000 records and fails at its 3,000th, so none can end normally.
        env.fromCollection(records(4, 30_000), Types.STRING).map(new FailAfter(3000), Types.STRING)
                .sinkTo(new TextFileSink<>(out.toString()));
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("fail"));
        assertTrue(e.getMessage().contains("boom after 3000 records"), e.getMessage());
        assertEquals(List.of(), Files.exists(out) ? filesUnder(out) : List.of(), "files left behind");
        assertEquals(new TreeSet<>(), new TreeSet<>(filesUnder(tmp)), "files left behind anywhere");
    }

    /** Passes records through and throws at the given record of its subtask. */
    static final class FailAfter implements MapFunction<String, String> {
        private final int limit;
        private int seen;

        FailAfter(int limit) {
            this.limit = limit;
        }

        @Override
        public String map(String value) {
            if (++seen == limit) {
                throw new IllegalStateException("boom after " + limit + " records");
            }
            return value;
        }
    }
}
