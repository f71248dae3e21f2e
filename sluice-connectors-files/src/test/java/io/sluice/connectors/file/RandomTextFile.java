package io.sluice.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded random UTF-8 text file together with its oracle: the lines as generated (never re-read) and the byte
 * offset where each line starts. Lines mix ASCII, 2-, 3- and 4-byte characters, empty lines and, optionally, lines
 * longer than 64 KiB; line ends are LF, CRLF or a mix; the file may or may not end with a line end. Wherever a
 * multiple of one of the given split sizes is about to fall inside the next 3 bytes, a 4-byte character is written
 * (most of the time) so that it straddles that boundary.
 */
final class RandomTextFile {
    enum LineEnds { LF, CRLF, MIXED }

    private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:!?-_'\"()[]{}\t/#";
    private static final int[] TWO_BYTES = "éßñøÄÖÜçåŁ".codePoints().toArray();
    private static final int[] THREE_BYTES = "€中文日本語한국ア✓".codePoints().toArray();
    private static final int[] FOUR_BYTES = "😀🎉𝐀𝄞🙂🚀𠜎".codePoints().toArray();

    final long seed;
    final List<String> lines;
    final List<Long> lineStarts;
    final byte[] bytes;
    final boolean trailingNewline;
    final LineEnds lineEnds;
    /** How many 4-byte characters straddle a multiple of one of the split sizes. */
    final int straddling;
    final int longLines;

    private RandomTextFile(long seed, List<String> lines, List<Long> lineStarts, byte[] bytes, boolean trailingNewline,
                           LineEnds lineEnds, int straddling, int longLines) {
        this.seed = seed;
        this.lines = lines;
        this.lineStarts = lineStarts;
        this.bytes = bytes;
        this.trailingNewline = trailingNewline;
        this.lineEnds = lineEnds;
        this.straddling = straddling;
        this.longLines = longLines;
    }

    /**
     * @param targetBytes   approximate file size (the last line may run past it)
     * @param longLineOdds  out of 100,000, the chance that a line is longer than 64 KiB; if positive, line 5 is
     *                      always one (so some splits lie wholly inside it)
     * @param shortLineMax  short lines have up to this many characters (one in ten up to 20 times more)
     * @param trailing      whether the last line ends with a line end
     * @param ends          the line ends
     * @param splitSizes    split sizes whose boundaries 4-byte characters should straddle
     */
    static RandomTextFile generate(long seed, int targetBytes, int longLineOdds, int shortLineMax, boolean trailing,
                                   LineEnds ends, long... splitSizes) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        long pos = 0;
        int straddling = 0;
        int longLines = 0;
        while (pos < targetBytes) {
            starts.add(pos);
            int roll = random.nextInt(100_000);
            int length;
            if (roll < longLineOdds || (longLineOdds > 0 && lines.size() == 5)) {
                length = 70_000 + random.nextInt(60_000); // at least 70,000 bytes: longer than the 64 KiB buffer
                longLines++;
            } else if (roll < longLineOdds + 10_000) {
                length = 0;
            } else {
                length = random.nextInt(random.nextInt(10) == 0 ? 20 * shortLineMax : shortLineMax);
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < length; i++) {
                int cp;
                if (straddles(pos, splitSizes) && random.nextInt(5) != 0) {
                    cp = FOUR_BYTES[random.nextInt(FOUR_BYTES.length)];
                    straddling++;
                } else {
                    int kind = random.nextInt(100);
                    if (kind < 70) {
                        cp = ASCII.charAt(random.nextInt(ASCII.length()));
                    } else if (kind < 82) {
                        cp = TWO_BYTES[random.nextInt(TWO_BYTES.length)];
                    } else if (kind < 92) {
                        cp = THREE_BYTES[random.nextInt(THREE_BYTES.length)];
                    } else {
                        cp = FOUR_BYTES[random.nextInt(FOUR_BYTES.length)];
                    }
                }
                line.appendCodePoint(cp);
                pos += utf8Length(cp);
            }
            lines.add(line.toString());
            content.append(line);
            boolean last = pos >= targetBytes;
            if (!last || trailing) {
                boolean crlf = ends == LineEnds.CRLF || (ends == LineEnds.MIXED && random.nextBoolean());
                content.append(crlf ? "\r\n" : "\n");
                pos += crlf ? 2 : 1;
            } else if (line.isEmpty()) {
                // Without a final line end an empty last line would not exist: give it a character.
                lines.set(lines.size() - 1, "z");
                content.append('z');
                pos++;
            }
        }
        byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(pos, bytes.length, "generator byte count, seed " + seed);
        return new RandomTextFile(seed, List.copyOf(lines), List.copyOf(starts), bytes, trailing, ends, straddling,
                longLines);
    }

    /** Whether a 4-byte character written at {@code pos} would contain a multiple of a split size after its first byte. */
    private static boolean straddles(long pos, long[] splitSizes) {
        for (long size : splitSizes) {
            long next = (pos / size + 1) * size;
            if (next - pos <= 3) {
                return true;
            }
        }
        return false;
    }

    static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    Path write(Path file) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    /** The generated lines whose first byte lies in {@code [from, to)}. */
    List<String> linesStartingIn(long from, long to) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            long start = lineStarts.get(i);
            if (start >= from && start < to) {
                result.add(lines.get(i));
            }
        }
        return result;
    }

    String describe() {
        return "seed " + seed + " (" + bytes.length + " bytes, " + lines.size() + " lines, " + longLines
                + " long, line ends " + lineEnds + ", trailing newline " + trailingNewline + ")";
    }

    /** A second oracle: split the decoded bytes on LF and drop a CR before it. */
    static List<String> splitManually(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> result = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                result.add(text.substring(start, end));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            String rest = text.substring(start);
            result.add(rest.endsWith("\r") ? rest.substring(0, rest.length() - 1) : rest);
        }
        return result;
    }

    /** Asserts equal multisets; on failure names a few differing lines (shortened) instead of dumping megabytes. */
    static void assertSameLines(List<String> expected, List<String> actual, String context) {
        Map<String, Integer> counts = new HashMap<>();
        for (String s : expected) {
            counts.merge(s, 1, Integer::sum);
        }
        for (String s : actual) {
            counts.merge(s, -1, Integer::sum);
        }
        Map<String, Integer> diff = new TreeMap<>();
        counts.forEach((line, n) -> {
            if (n != 0) {
                diff.put(line, n);
            }
        });
        if (!diff.isEmpty()) {
            StringBuilder sb = new StringBuilder(context).append(": expected ").append(expected.size())
                    .append(" lines, got ").append(actual.size()).append("; ").append(diff.size())
                    .append(" lines differ (positive: missing, negative: extra), e.g.:");
            diff.entrySet().stream().limit(5).forEach(e -> sb.append("\n  ").append(e.getValue()).append(" x ")
                    .append(shorten(e.getKey())));
            fail(sb.toString());
        }
    }

    /** Asserts equal lists, in order; on failure names the first difference. */
    static void assertSameSequence(List<String> expected, List<String> actual, String context) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                fail(context + ": line " + i + " differs: expected " + shorten(expected.get(i)) + " but was "
                        + shorten(actual.get(i)));
            }
        }
        if (expected.size() != actual.size()) {
            fail(context + ": expected " + expected.size() + " lines, got " + actual.size()
                    + (actual.size() > n ? "; first extra: " + shorten(actual.get(n)) : "; first missing: "
                    + shorten(expected.get(n))));
        }
    }

    static String shorten(String s) {
        return s.length() <= 60 ? "\"" + s + "\"" : "\"" + s.substring(0, 40) + "...\" (" + s.length() + " chars)";
    }
}
