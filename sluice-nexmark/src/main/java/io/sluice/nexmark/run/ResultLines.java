package io.sluice.nexmark.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The correctness-check format, engine-neutral (JDK only): every result's {@code toString()} on its own line, lines
 * sorted ({@link String#compareTo}), UTF-8, each line ending in {@code \n}. Two engines agree when their files are
 * byte-equal.
 */
public final class ResultLines {
    private ResultLines() {}

    /** The sorted lines of {@code results}. */
    public static List<String> sorted(Collection<?> results) {
        List<String> lines = new ArrayList<>(results.size());
        for (Object r : results) {
            lines.add(r.toString());
        }
        lines.sort(null);
        return lines;
    }

    /** Sorts {@code lines} in place and writes them to {@code file} (replacing it). */
    public static void writeSorted(List<String> lines, Path file) throws IOException {
        lines.sort(null);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                w.write(line);
                w.write('\n');
            }
        }
    }
}
