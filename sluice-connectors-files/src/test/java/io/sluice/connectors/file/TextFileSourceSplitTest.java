package io.sluice.connectors.file;

import static io.sluice.connectors.file.RandomTextFile.assertSameLines;
import static io.sluice.connectors.file.RandomTextFile.assertSameSequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.connectors.file.RandomTextFile.LineEnds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Splitting files into byte ranges and reading them back line by line, against the lines as generated: through real
 * jobs at several parallelisms, and by driving the source's splits and readers directly.
 */
class TextFileSourceSplitTest {
    private static final long DEFAULT_MAX_SPLIT = 32L * 1024 * 1024;
    private static final long MIN_SPLIT = 64 * 1024;
    /** Split sizes used below; the generator puts 4-byte characters across their multiples. */
    private static final long SPLIT_A = 50_000;
    private static final long SPLIT_B = 100_003;
    private static final long SPLIT_C = 4093;

    @TempDir
    Path tmp;

    /** Large files: several splits, long lines, every line-end style, with and without a final line end. */
    static Stream<Arguments> largeFiles() {
        return Stream.of(
                Arguments.of(11L, 300_000, LineEnds.LF, true),
                Arguments.of(22L, 600_000, LineEnds.CRLF, false),
                Arguments.of(33L, 1_000_000, LineEnds.MIXED, true),
                Arguments.of(44L, 450_000, LineEnds.MIXED, false),
                Arguments.of(55L, 350_000, LineEnds.CRLF, true),
                Arguments.of(66L, 500_000, LineEnds.LF, false));
    }

    private static RandomTextFile large(long seed, int bytes, LineEnds ends, boolean trailing) {
        RandomTextFile file = RandomTextFile.generate(seed, bytes, 100, 100, trailing, ends, SPLIT_A, SPLIT_B,
                SPLIT_C);
        // Sanity of the generator itself: the scenario this test is about must really be in the file.
        assertTrue(file.straddling > 5, "4-byte characters across split boundaries, " + file.describe());
        assertTrue(file.lines.stream().anyMatch(String::isEmpty), "empty lines, " + file.describe());
        assertTrue(file.longLines > 0, "lines over 64 KiB, " + file.describe());
        assertSameSequence(file.lines, RandomTextFile.splitManually(file.bytes), "generator vs manual split, "
                + file.describe());
        return file;
    }

    @ParameterizedTest(name = "seed {0}, {1} bytes, {2}, trailing newline {3}")
    @MethodSource("largeFiles")
    void aJobReadsEveryLineExactlyOnce(long seed, int bytes, LineEnds ends, boolean trailing) throws Exception {
        RandomTextFile file = large(seed, bytes, ends, trailing);
        Path path = file.write(tmp.resolve("input.txt"));
        for (long maxSplit : new long[] {SPLIT_A, SPLIT_B, DEFAULT_MAX_SPLIT}) {
            for (int parallelism : new int[] {1, 2, 4}) {
                List<String> actual = readWithJob(path, maxSplit, parallelism);
                assertSameLines(file.lines, actual, file.describe() + ", maxSplitBytes " + maxSplit
                        + ", parallelism " + parallelism);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}, {1} bytes, {2}, trailing newline {3}")
    @MethodSource("largeFiles")
    void eachSplitReadsExactlyTheLinesStartingInItsRange(long seed, int bytes, LineEnds ends, boolean trailing)
            throws Exception {
        RandomTextFile file = large(seed, bytes, ends, trailing);
        Path path = file.write(tmp.resolve("input.txt"));
        for (long maxSplit : new long[] {SPLIT_A, SPLIT_B, SPLIT_C, DEFAULT_MAX_SPLIT}) {
            for (int parallelism : new int[] {1, 2, 4}) {
                checkSplitsDirectly(file, path, maxSplit, parallelism);
            }
        }
    }

    /** Tiny splits put a boundary at (nearly) every byte: inside characters, between CR and LF, on empty lines. */
    @Test
    void tinySplitsOnSmallFiles() throws Exception {
        long[] sizes = {1, 2, 3, 5, 7, 64};
        int i = 0;
        for (LineEnds ends : LineEnds.values()) {
            for (boolean trailing : new boolean[] {true, false}) {
                long seed = 700 + i++;
                RandomTextFile file = RandomTextFile.generate(seed, 2500, 0, 30, trailing, ends, 3, 5, 7, 64);
                assertSameSequence(file.lines, RandomTextFile.splitManually(file.bytes), file.describe());
                Path path = file.write(tmp.resolve("small-" + seed + ".txt"));
                for (long size : sizes) {
                    checkSplitsDirectly(file, path, size, 1);
                }
                assertSameLines(file.lines, readWithJob(path, 3, 2), file.describe() + ", job, maxSplitBytes 3");
            }
        }
    }

    /** Hand-made edge cases, read with 1-byte splits (a boundary before every byte) and as one split. */
    @Test
    void edgeCases() throws Exception {
        String[] contents = {
            "\n", "\r\n", "\n\n\n", "a", "a\n", "a\r\n", "\r\n\r\n", "ab\r\ncd", "x\n\ny\n", "😀\n😀", "é\r\n€\n😀\r\n",
            "a\nb\nc", "\n😀", "😀😀😀😀\n", "a\r\nb",
        };
        for (String content : contents) {
            byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Path path = Files.write(tmp.resolve("edge.txt"), bytes);
            List<String> expected = RandomTextFile.splitManually(bytes);
            String context = "content " + content.replace("\r", "\\r").replace("\n", "\\n");
            for (long size : new long[] {1, 2, 3, DEFAULT_MAX_SPLIT}) {
                TextFileSource source = new TextFileSource(path.toString(), size);
                List<String> all = new ArrayList<>();
                for (FileSplit split : source.createSplits(1)) {
                    all.addAll(drain(source, List.of(split), context));
                }
                assertSameSequence(expected, all, context + ", splits of " + size + " bytes");
            }
            assertSameLines(expected, readWithJob(path, 1, 2), context + ", job");
        }
    }

    @Test
    void anEmptyFileHasNoSplitsAndNoLines() throws Exception {
        Path path = Files.write(tmp.resolve("empty.txt"), new byte[0]);
        assertEquals(List.of(), new TextFileSource(path.toString()).createSplits(4));
        assertEquals(List.of(), readWithJob(path, DEFAULT_MAX_SPLIT, 2));
    }

    /** One reader given all splits (as a subtask is) reads the whole file in order. */
    @ParameterizedTest(name = "seed {0}, {1} bytes, {2}, trailing newline {3}")
    @MethodSource("largeFiles")
    void oneReaderGivenEverySplitReadsTheFileInOrder(long seed, int bytes, LineEnds ends, boolean trailing)
            throws Exception {
        RandomTextFile file = large(seed, bytes, ends, trailing);
        Path path = file.write(tmp.resolve("input.txt"));
        TextFileSource source = new TextFileSource(path.toString(), SPLIT_A);
        assertSameSequence(file.lines, drain(source, source.createSplits(1), file.describe()), file.describe());
    }

    /**
     * A snapshot taken between polls, handed to a new reader (after a serialization round trip, as a checkpoint
     * would), continues exactly where the first reader stopped; taking it does not disturb the first reader.
     */
    @ParameterizedTest(name = "seed {0}, {1} bytes, {2}, trailing newline {3}")
    @MethodSource("largeFiles")
    void aSnapshotContinuesExactlyWhereTheReaderStopped(long seed, int bytes, LineEnds ends, boolean trailing)
            throws Exception {
        // Short lines, so that the reader's polls (a bounded number of lines each) stop at many places.
        RandomTextFile file = RandomTextFile.generate(seed, bytes, 0, 16, trailing, ends, SPLIT_A, SPLIT_C);
        Path path = file.write(tmp.resolve("input.txt"));
        for (long maxSplit : new long[] {SPLIT_A, SPLIT_C}) {
            TextFileSource source = new TextFileSource(path.toString(), maxSplit);
            List<FileSplit> splits = source.createSplits(1);
            int pollsToEnd = pollsToEnd(source, splits);
            assertTrue(pollsToEnd > 3, file.describe() + ": only " + pollsToEnd + " polls, too few to test snapshots");
            for (int polls = 0; polls <= pollsToEnd; polls++) {
                String context = file.describe() + ", maxSplitBytes " + maxSplit + ", snapshot after " + polls
                        + " polls";
                Collecting first = new Collecting();
                InputStatus status = InputStatus.MORE_AVAILABLE;
                try (SourceReader<String, FileSplit> reader = source.createReader(context(0, 1))) {
                    reader.addSplits(splits);
                    reader.notifyNoMoreSplits(); // every split is given: the reader ends when they are read
                    for (int p = 0; p < polls && status != InputStatus.END_OF_INPUT; p++) {
                        status = reader.pollNext(first);
                    }
                    List<FileSplit> snapshot = roundTrip(reader.snapshotSplits());
                    for (FileSplit s : snapshot) {
                        assertTrue(s.offset() <= s.end(), context + ": snapshot split " + s);
                        assertTrue(splits.stream().anyMatch(original -> original.splitId().equals(s.splitId())),
                                context + ": the id " + s.splitId() + " is none of the splits' ids (ids are stable)");
                    }
                    if (status == InputStatus.END_OF_INPUT) {
                        assertEquals(List.of(), snapshot, context + ": snapshot after the end");
                    }
                    List<String> rest = drain(source, snapshot, context);
                    List<String> combined = new ArrayList<>(first.lines);
                    combined.addAll(rest);
                    assertSameSequence(file.lines, combined, context + " (" + first.lines.size()
                            + " lines before it)");
                    // The first reader, undisturbed, still reads the rest itself.
                    while (status != InputStatus.END_OF_INPUT) {
                        status = reader.pollNext(first);
                    }
                    assertSameSequence(file.lines, first.lines, context + ", first reader continued");
                }
            }
        }
    }

    private static int pollsToEnd(TextFileSource source, List<FileSplit> splits) throws Exception {
        try (SourceReader<String, FileSplit> reader = source.createReader(context(0, 1))) {
            reader.addSplits(splits);
            reader.notifyNoMoreSplits(); // every split is given: the reader ends when they are read
            Collecting out = new Collecting();
            int polls = 1;
            while (reader.pollNext(out) != InputStatus.END_OF_INPUT) {
                polls++;
            }
            return polls;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<FileSplit> roundTrip(List<FileSplit> splits) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(splits));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (List<FileSplit>) in.readObject();
        }
    }

    private void checkSplitsDirectly(RandomTextFile file, Path path, long maxSplit, int parallelism)
            throws Exception {
        String context = file.describe() + ", maxSplitBytes " + maxSplit + ", parallelism " + parallelism;
        TextFileSource source = new TextFileSource(path.toString(), maxSplit);
        List<FileSplit> splits = source.createSplits(parallelism);
        checkSplitShapes(splits, path, file.bytes.length, maxSplit, parallelism, context);
        List<String> all = new ArrayList<>();
        for (FileSplit split : splits) {
            List<String> lines = drain(source, List.of(split), context);
            assertSameSequence(file.linesStartingIn(split.offset(), split.end()), lines, context + ", split " + split);
            all.addAll(lines);
        }
        assertSameSequence(file.lines, all, context + ", all splits in order");
    }

    /** The ranges tile the file, are at most {@code maxSplit} long, and give every subtask work when there is enough. */
    static void checkSplitShapes(List<FileSplit> splits, Path path, long size, long maxSplit, int parallelism,
                                 String context) {
        assertFalse(splits.isEmpty(), context + ": no splits");
        long expectedOffset = 0;
        for (int i = 0; i < splits.size(); i++) {
            FileSplit s = splits.get(i);
            assertEquals(path.toString(), s.path(), context + ": split path");
            assertEquals(expectedOffset, s.offset(), context + ": split " + i + " starts where the previous ended");
            assertEquals(i == 0, s.atLineStart(), context + ": split " + i + " atLineStart");
            assertTrue(s.end() > s.offset(), context + ": split " + i + " is empty");
            assertTrue(s.end() - s.offset() <= maxSplit, context + ": split " + i + " longer than " + maxSplit);
            if (i < splits.size() - 1) {
                assertEquals(splits.get(0).end(), s.end() - s.offset(), context + ": split " + i
                        + " differs in length from the first");
                assertTrue(s.end() - s.offset() >= Math.min(maxSplit, MIN_SPLIT), context + ": split " + i
                        + " is smaller than both maxSplitBytes and 64 KiB");
            }
            expectedOffset = s.end();
        }
        assertEquals(size, expectedOffset, context + ": splits end at the end of the file");
        if (size >= parallelism * MIN_SPLIT) {
            assertTrue(splits.size() >= parallelism, context + ": only " + splits.size() + " splits");
        }
    }

    static List<String> drain(TextFileSource source, List<FileSplit> splits, String context) throws Exception {
        Collecting out = new Collecting();
        try (SourceReader<String, FileSplit> reader = source.createReader(context(0, 1))) {
            reader.addSplits(splits);
            reader.notifyNoMoreSplits(); // every split is given: the reader ends when they are read
            for (int polls = 0; ; polls++) {
                InputStatus status = reader.pollNext(out);
                if (status == InputStatus.END_OF_INPUT) {
                    break;
                }
                assertEquals(InputStatus.MORE_AVAILABLE, status, context + ": poll status");
                if (polls > 10_000_000) {
                    fail(context + ": the reader never ends");
                }
            }
        }
        return out.lines;
    }

    static List<String> readWithJob(Path path, long maxSplit, int parallelism) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        env.fromSource(new TextFileSource(path.toString(), maxSplit), "Read").sinkTo(sink).name("Collect");
        env.execute("read " + path.getFileName());
        try {
            return sink.results();
        } finally {
            sink.clear();
        }
    }

    static SourceReaderContext context(int subtask, int parallelism) {
        return new SourceReaderContext() {
            @Override
            public int subtaskIndex() {
                return subtask;
            }

            @Override
            public int parallelism() {
                return parallelism;
            }

            @Override
            public String operatorName() {
                return "Read";
            }
        };
    }

    static final class Collecting implements SourceOutput<String> {
        final List<String> lines = new ArrayList<>();

        @Override
        public void collect(String record) {
            lines.add(record);
        }

        @Override
        public void collect(String record, long timestamp) {
            lines.add(record);
        }
    }
}
