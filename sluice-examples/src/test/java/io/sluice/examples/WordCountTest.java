package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Word count at several parallelisms against a regex-based count written without {@link Words}. */
class WordCountTest {
    /** The oracle's notion of a word: one or more letters ({@code \p{L}}) or decimal digits ({@code \p{Nd}}). */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{Nd}]+");

    private static final String[] VOCABULARY = {
        "the", "sluice", "stream", "Straße", "Äpfel", "über", "öl", "café", "naïve", "Ærø", "İstanbul", "ΟΔΟΣ",
        "Αθήνα", "σοφία", "Москва", "привет", "東京都", "数据流", "カタカナ", "한국어", "مرحبا", "שלום", "ไทย",
        "नमस्ते", "𝐀𝐁𝐂", "𠜎𠜱", "𐐀𐐨", "a1b2", "2024", "١٢٣", "１２３", "x9", "ǅemal",
    };
    /** Separators: punctuation, spaces, symbols, combining marks, letter-like numbers that are not words. */
    private static final String[] SEPARATORS = {
        " ", " ", " ", ", ", ". ", "!", "?", "-", "_", "'", "\"", "\t", "\u00A0", "\u2003", "—", "«", "»", "「", "」",
        "😀", "🎉", "²", "Ⅻ", "½", "\u0301", "…", "()", "[", "]", "/", "#", "@", "€", "+", "=",
    };

    @TempDir
    Path tmp;

    /** Seeded random lines of vocabulary words in random case, random letter/digit strings, and separators. */
    static List<String> randomLines(long seed, int count) {
        Random random = new Random(seed);
        int[] alphabet = "aBcDeFgHiJäÖüßΩωЖжあ中9٣𝐀𝐚ǅ".codePoints().toArray();
        List<String> lines = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            StringBuilder line = new StringBuilder();
            int tokens = random.nextInt(15);
            for (int t = 0; t < tokens; t++) {
                if (random.nextInt(5) == 0) {
                    int length = 1 + random.nextInt(6);
                    for (int i = 0; i < length; i++) {
                        line.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
                    }
                } else {
                    VOCABULARY[random.nextInt(VOCABULARY.length)].codePoints().forEach(cp -> line.appendCodePoint(
                            switch (random.nextInt(3)) {
                                case 0 -> Character.toUpperCase(cp);
                                case 1 -> Character.toLowerCase(cp);
                                default -> cp;
                            }));
                }
                // Usually a separator; sometimes none, so that adjacent tokens run together into one word.
                if (random.nextInt(8) != 0) {
                    line.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }

    static Map<String, Long> oracle(List<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            Matcher m = WORD.matcher(line);
            while (m.find()) {
                counts.merge(m.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Parses {@code word<TAB>count} lines; a word appearing twice is an error. */
    static Map<String, Long> parse(List<String> lines, String context) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split("\t", -1);
            assertEquals(2, parts.length, context + ": malformed output line " + line);
            Long previous = counts.put(parts[0], Long.parseLong(parts[1]));
            assertNull(previous, context + ": word '" + parts[0] + "' written twice");
        }
        return counts;
    }

    static void assertSameCounts(Map<String, Long> expected, Map<String, Long> actual, String context) {
        if (expected.equals(actual)) {
            return;
        }
        Map<String, String> diff = new TreeMap<>();
        for (String w : expected.keySet()) {
            if (!expected.get(w).equals(actual.get(w))) {
                diff.put(w, "expected " + expected.get(w) + ", got " + actual.get(w));
            }
        }
        for (String w : actual.keySet()) {
            if (!expected.containsKey(w)) {
                diff.put(w, "unexpected, count " + actual.get(w));
            }
        }
        StringBuilder sb = new StringBuilder(context + ": " + expected.size() + " words expected, " + actual.size()
                + " counted; " + diff.size() + " differ, e.g.:");
        diff.entrySet().stream().limit(10).forEach(e -> sb.append("\n  '").append(e.getKey()).append("': ")
                .append(e.getValue()));
        fail(sb.toString());
    }

    @Test
    void theGeneratedTextIsInteresting() {
        // Guards the generator: non-Latin, supplementary, digit-only and merged words must really occur.
        Map<String, Long> expected = oracle(randomLines(1, 20_000));
        assertTrue(expected.size() > 1000, "distinct words: " + expected.size());
        assertTrue(expected.containsKey("москва") && expected.containsKey("東京都") && expected.containsKey("𝐀𝐁𝐂")
                && expected.containsKey("2024") && expected.containsKey("οδος"), "expected words missing");
        assertTrue(expected.keySet().stream().anyMatch(w -> w.startsWith("the") && w.length() > 3),
                "words that ran together");
        assertTrue(expected.values().stream().anyMatch(c -> c > 1000), "frequent words");
    }

    @Test
    void countsEqualsTheOracleAtParallelism1And2And4() throws Exception {
        long seed = 1;
        List<String> lines = randomLines(seed, 20_000);
        Map<String, Long> expected = oracle(lines);
        for (int parallelism : new int[] {1, 2, 4}) {
            StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
            CollectSink<String> sink = new CollectSink<>();
            WordCount.counts(env.fromCollection(lines, Types.STRING)).sinkTo(sink);
            env.execute("counts");
            String context = "seed " + seed + ", parallelism " + parallelism;
            try {
                assertSameCounts(expected, parse(sink.results(), context), context);
            } finally {
                sink.clear();
            }
        }
    }

    @Test
    void defineReadsAFileAndWritesOneLinePerWord() throws Exception {
        long seed = 2;
        List<String> lines = randomLines(seed, 20_000);
        Path input = Files.write(tmp.resolve("input.txt"), lines, StandardCharsets.UTF_8);
        Map<String, Long> expected = oracle(lines);
        for (int parallelism : new int[] {1, 2, 4}) {
            Path output = tmp.resolve("counts-" + parallelism + ".tsv");
            StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
            WordCount.define(env, input.toString(), output.toString());
            env.execute("wordcount");
            String context = "seed " + seed + ", parallelism " + parallelism;
            assertSameCounts(expected, parse(Files.readAllLines(output, StandardCharsets.UTF_8), context), context);
        }
    }

    @Test
    void defineReadsADirectoryOfFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in/nested"));
        List<String> all = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            List<String> lines = randomLines(10 + f, 3000);
            Files.write((f % 2 == 0 ? dir : dir.getParent()).resolve("part-" + f + ".txt"), lines,
                    StandardCharsets.UTF_8);
            all.addAll(lines);
        }
        Files.writeString(dir.resolve(".hidden"), "ignored ignored\n"); // skipped by the source
        Path output = tmp.resolve("out.tsv");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        WordCount.define(env, dir.getParent().toString(), output.toString());
        env.execute("wordcount");
        assertSameCounts(oracle(all), parse(Files.readAllLines(output, StandardCharsets.UTF_8), "seeds 10-13"),
                "seeds 10-13");
    }

    @Test
    void inputWithoutWordsGivesAnEmptyOutputFile() throws Exception {
        Path input = Files.writeString(tmp.resolve("input.txt"), "!!! ...\n\n😀 — ²\n", StandardCharsets.UTF_8);
        Path empty = Files.createDirectories(tmp.resolve("empty-dir"));
        for (Path in : List.of(input, empty)) {
            Path output = tmp.resolve("out-" + in.getFileName() + ".tsv");
            StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
            WordCount.define(env, in.toString(), output.toString());
            env.execute("wordcount");
            assertTrue(Files.isRegularFile(output), "output file for " + in);
            assertEquals("", Files.readString(output), "output for " + in);
        }
    }
}
