package io.sluice.cluster.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rolled log keeps its newest lines, whole and in order, within the size it was given. */
class RollingLogStreamTest {
    @Test
    void theLogRollsBySizeKeepsItsNewestFilesAndSplitsNoLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("logs/worker-1.log");
        try (PrintStream log = new PrintStream(new RollingLogStream(file, 1_000, 2), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 500; i++) {
                log.println("line " + i);
            }
        }
        assertTrue(Files.exists(file.resolveSibling("worker-1.log.1")));
        assertTrue(Files.exists(file.resolveSibling("worker-1.log.2")));
        assertFalse(Files.exists(file.resolveSibling("worker-1.log.3")), "only two rolled files are kept");
        List<String> lines = new ArrayList<>();
        for (String name : List.of("worker-1.log.2", "worker-1.log.1", "worker-1.log")) {
            Path part = file.resolveSibling(name);
            assertTrue(Files.size(part) <= 1_000 + "line 499\n".length(), name + " stays near its size: " + Files.size(part));
            lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
        }
        int first = Integer.parseInt(lines.getFirst().substring("line ".length()));
        for (int i = 0; i < lines.size(); i++) {
            assertEquals("line " + (first + i), lines.get(i), "the newest lines, whole and in order");
        }
        assertEquals("line 499", lines.getLast());
    }
}
