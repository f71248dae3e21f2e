package io.sluice.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file reader reports the split of every line (for per-split watermarks) and releases each split once read. */
class TextLineReaderSplitOutputTest {

    @TempDir
    Path tmp;

    /** Records what a reader does with its split outputs. */
    static final class SplitRecorder implements SourceOutput<String> {
        final Map<String, List<String>> bySplit = new LinkedHashMap<>();
        final List<String> direct = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public void collect(String record) {
            direct.add(record);
        }

        @Override
        public void collect(String record, long timestamp) {
            direct.add(record);
        }

        @Override
        public SourceOutput<String> forSplit(String splitId) {
            List<String> lines = bySplit.computeIfAbsent(splitId, k -> new ArrayList<>());
            if (events.contains("release " + splitId)) {
                throw new AssertionError("split " + splitId + " used after its release");
            }
            return new SourceOutput<>() {
                @Override
                public void collect(String record) {
                    lines.add(record);
                }

                @Override
                public void collect(String record, long timestamp) {
                    lines.add(record);
                }
            };
        }

        @Override
        public void releaseSplit(String splitId) {
            events.add("release " + splitId);
        }
    }

    @Test
    void everyLineGoesThroughItsSplitsOutputAndEachSplitIsReleasedOnce() throws Exception {
        Map<Path, List<String>> files = new LinkedHashMap<>();
        for (String name : List.of("a.txt", "b.txt")) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                lines.add(name + "-" + i + "-" + "x".repeat(i % 7));
            }
            Path file = tmp.resolve(name);
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            files.put(file, lines);
        }
        TextFileSource source = new TextFileSource(tmp.toString(), 64);
        List<FileSplit> splits = source.createSplits(1);
        assertTrue(splits.size() > 4, "small splits, several per file: " + splits.size());

        // oracle: a line belongs to the split its first byte falls in
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (FileSplit split : splits) {
            List<String> mine = new ArrayList<>();
            long offset = 0;
            for (String line : files.get(Path.of(split.path()))) {
                if (offset >= split.offset() && offset < split.end()) {
                    mine.add(line);
                }
                offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            if (!mine.isEmpty()) {
                expected.put(split.splitId(), mine);
            }
        }

        SplitRecorder out = new SplitRecorder();
        try (SourceReader<String, FileSplit> reader = source.createReader(TextFileSourceSplitTest.context(0, 1))) {
            reader.addSplits(splits);
            reader.notifyNoMoreSplits(); // every split is given: the reader ends when they are read
            while (reader.pollNext(out) != InputStatus.END_OF_INPUT) {
                // read all
            }
        }
        assertEquals(List.of(), out.direct, "nothing without a split");
        Map<String, List<String>> nonEmpty = new LinkedHashMap<>(out.bySplit);
        nonEmpty.values().removeIf(List::isEmpty);
        assertEquals(expected, nonEmpty);
        assertEquals(splits.stream().map(s -> "release " + s.splitId()).toList(), out.events, "each split released once, in order");
    }
}
