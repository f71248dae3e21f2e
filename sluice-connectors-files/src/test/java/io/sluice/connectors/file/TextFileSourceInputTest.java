package io.sluice.connectors.file;

import static io.sluice.connectors.file.RandomTextFile.assertSameLines;
import static io.sluice.connectors.file.TextFileSourceSplitTest.readWithJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.sink.CollectSink;
import io.sluice.connectors.file.RandomTextFile.LineEnds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the source reads (directories, hidden files) and how it fails (missing path, malformed UTF-8). */
class TextFileSourceInputTest {
    private static final long DEFAULT_MAX_SPLIT = 32L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aDirectoryIsReadRecursivelySkippingNamesStartingWithDotOrUnderscore() throws Exception {
        // The root itself is named with a leading underscore: only names below it count.
        Path root = Files.createDirectories(tmp.resolve("_input"));
        List<String> expected = new ArrayList<>();
        int seed = 900;
        for (String name : new String[] {"top.txt", "a/one.txt", "a/b/two.txt", "a/b/c/three", "z/four.log"}) {
            RandomTextFile file = RandomTextFile.generate(seed++, 20_000 + 30_000 * (seed % 3), 0, 60,
                    seed % 2 == 0, LineEnds.values()[seed % 3], 50_000);
            Path path = root.resolve(name);
            Files.createDirectories(path.getParent());
            file.write(path);
            expected.addAll(file.lines);
        }
        Files.createFile(root.resolve("a/empty.txt"));
        // Skipped: hidden or underscore names, as files or as directories on the way.
        for (String name : new String[] {".hidden.txt", "_SUCCESS", "a/.part-0.inprogress", "a/_tmp.txt",
                ".git/config", "_logs/b/x.txt", "a/.cache/y.txt", "a/b/_skip/z.txt"}) {
            Path path = root.resolve(name);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "skipped line of " + name + "\nanother\n");
        }
        for (int parallelism : new int[] {1, 2, 4}) {
            assertSameLines(expected, readWithJob(root, 10_000, parallelism), "directory, parallelism " + parallelism);
            assertSameLines(expected, readWithJob(root, DEFAULT_MAX_SPLIT, parallelism),
                    "directory, default split size, parallelism " + parallelism);
        }
    }

    @Test
    void aMissingPathFailsAtSubmissionNamingThePath() {
        Path missing = tmp.resolve("no-such-dir").resolve("input.txt");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        CollectSink<String> sink = new CollectSink<>();
        env.fromSource(new TextFileSource(missing.toString()), "Read").sinkTo(sink);
        // executeAsync returns as soon as the job has started: throwing there means it never started.
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.executeAsync("missing"));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        sink.clear();

        StreamEnvironment env2 = StreamEnvironment.create().setParallelism(1);
        env2.fromSource(new TextFileSource(missing.toString()), "Read").sinkTo(sink);
        JobExecutionException e2 = assertThrows(JobExecutionException.class, () -> env2.execute("missing"));
        assertTrue(e2.getMessage().contains(missing.toString()), e2.getMessage());
    }

    @Test
    void aNonPositiveSplitSizeIsRejected() throws Exception {
        Path file = Files.writeString(tmp.resolve("in.txt"), "a\nb\n");
        for (long size : new long[] {0, -1, Long.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TextFileSource(file.toString(), size).createSplits(1), "maxSplitBytes " + size);
            assertTrue(e.getMessage().contains("maxSplitBytes"), e.getMessage());
        }
    }

    @Test
    void malformedUtf8FailsTheJobNamingTheFileAndTheLineOffset() throws Exception {
        byte[] bytes = concat("first line\n", "second, é\r\n", null, "\nfourth line\n");
        long offset = "first line\n".length() + "second, é\r\n".getBytes(StandardCharsets.UTF_8).length;
        Path file = Files.write(tmp.resolve("bad.txt"), bytes);
        for (int parallelism : new int[] {1, 2}) {
            assertFailsAt(file, file, DEFAULT_MAX_SPLIT, parallelism, offset);
        }
    }

    /** The bad line deep inside a later split of a file in a directory: the offset is still the file's. */
    @Test
    void malformedUtf8InALaterSplitReportsTheFileOffset() throws Exception {
        RandomTextFile head = RandomTextFile.generate(77, 300_000, 0, 60, true, LineEnds.CRLF);
        RandomTextFile tail = RandomTextFile.generate(78, 100_000, 0, 60, false, LineEnds.LF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head.bytes);
        out.write(concat(null, "\n"));
        out.write(tail.bytes);
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(dir.resolve("a-good.txt"), "fine\n");
        Path file = Files.write(dir.resolve("b-bad.txt"), out.toByteArray());
        for (int parallelism : new int[] {1, 2, 4}) {
            assertFailsAt(dir, file, 50_000, parallelism, head.bytes.length);
        }
    }

    @Test
    void aTruncatedCharacterAtTheEndOfTheFileIsMalformed() throws Exception {
        byte[] good = "ok\n😀\nlast ".getBytes(StandardCharsets.UTF_8);
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[good.length + 3];
        System.arraycopy(good, 0, bytes, 0, good.length);
        System.arraycopy(emoji, 0, bytes, good.length, 3); // the first 3 of its 4 bytes, and no line end
        Path file = Files.write(tmp.resolve("truncated.txt"), bytes);
        assertFailsAt(file, file, DEFAULT_MAX_SPLIT, 1, "ok\n😀\n".getBytes(StandardCharsets.UTF_8).length);
    }

    private static void assertFailsAt(Path input, Path badFile, long maxSplit, int parallelism, long offset) {
        String context = "parallelism " + parallelism + ", maxSplitBytes " + maxSplit;
        JobExecutionException e = assertThrows(JobExecutionException.class,
                () -> readWithJob(input, maxSplit, parallelism), context);
        String message = e.getMessage();
        assertTrue(message.contains(badFile.toString()), context + ": names the file: " + message);
        assertTrue(message.matches("(?s).*\\boffset " + offset + "\\b.*"),
                context + ": names byte offset " + offset + ": " + message);
    }

    /** The given strings as UTF-8, with {@code null} standing for a line holding the malformed pair C3 28. */
    private static byte[] concat(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            if (part == null) {
                out.writeBytes("bad ".getBytes(StandardCharsets.UTF_8));
                out.write(0xC3);
                out.write(0x28);
                out.writeBytes(" here".getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Test
    void theBadLineIsLine3() {
        // Guards the fixture above: the malformed pair really is in the third line.
        List<String> lines = RandomTextFile.splitManually(concat("first line\n", "second, é\r\n", null, "\nfourth line\n"));
        assertEquals(4, lines.size());
        assertTrue(lines.get(2).startsWith("bad "), lines.get(2));
    }
}
