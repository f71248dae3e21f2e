package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.connectors.file.TransactionalFileSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The built-in {@code counts} job's input and what it must commit: for each word seen N times the lines
 * {@code word<TAB>n}, n = 1..N, each exactly once (so every word's sequence steps by exactly 1), and nothing in
 * progress.
 */
final class CountsOracle {
    private CountsOracle() {}

    /** Writes {@code lines} seeded lines of 1-5 words from a vocabulary (skewed use, some capitalised); returns each word's count. */
    static Map<String, Integer> writeInput(Path file, long seed, int lines) throws IOException {
        Random random = new Random(seed);
        Set<String> vocabulary = new LinkedHashSet<>();
        while (vocabulary.size() < 4_000) {
            int length = 3 + random.nextInt(6);
            StringBuilder w = new StringBuilder();
            for (int i = 0; i < length; i++) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            vocabulary.add(w.toString());
        }
        List<String> words = new ArrayList<>(vocabulary);
        String[] separators = {" ", " ", " ", ", ", ". ", " - ", "; "};
        Map<String, Integer> counts = new HashMap<>();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int l = 0; l < lines; l++) {
                int n = 1 + random.nextInt(5);
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    double r = random.nextDouble();
                    String word = words.get((int) (r * r * words.size()));
                    counts.merge(word, 1, Integer::sum);
                    if (i > 0) {
                        line.append(separators[random.nextInt(separators.length)]);
                    }
                    line.append(random.nextInt(8) == 0 ? word.toUpperCase(Locale.ROOT) : word);
                }
                out.write(line.toString());
                out.write('\n');
            }
        }
        return counts;
    }

    /** The number of lines the oracle says {@code counts} commits in all. */
    static long expectedLines(Map<String, Integer> oracle) {
        return oracle.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** The committed lines in {@code output} are the oracle's, each once; nothing is in progress. */
    static void checkCommitted(Map<String, Integer> oracle, Path output, String context) throws IOException {
        List<String> lines = TransactionalFileSink.readCommitted(output);
        Map<String, Integer> seen = new HashMap<>();
        for (String line : lines) {
            seen.merge(line, 1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (Map.Entry<String, Integer> e : oracle.entrySet()) {
            for (int n = 1; n <= e.getValue(); n++) {
                int times = seen.getOrDefault(e.getKey() + "\t" + n, 0);
                if (times == 0) {
                    missing.add(e.getKey() + "\t" + n);
                } else if (times > 1) {
                    duplicated.add(e.getKey() + "\t" + n + " x" + times);
                }
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String line : seen.keySet()) {
            int tab = line.indexOf('\t');
            Integer count = tab < 0 ? null : oracle.get(line.substring(0, tab));
            if (count == null || Integer.parseInt(line.substring(tab + 1)) > count) {
                unexpected.add(line);
            }
        }
        String difference = missing.size() + " missing " + missing.subList(0, Math.min(5, missing.size())) + ", "
                + duplicated.size() + " duplicated " + duplicated.subList(0, Math.min(5, duplicated.size())) + ", "
                + unexpected.size() + " unexpected " + unexpected.subList(0, Math.min(5, unexpected.size()));
        assertTrue(missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty(),
                "committed output differs from the oracle: " + difference + " (" + context + ")");
        assertEquals(expectedLines(oracle), lines.size(), context);
        assertEquals(List.of(), TransactionalFileSink.inProgressFiles(output), "in-progress files left (" + context + ")");
    }
}
