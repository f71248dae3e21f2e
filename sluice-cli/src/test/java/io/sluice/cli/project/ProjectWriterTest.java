package io.sluice.cli.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files land below the project's directory only, never over another file, and a failed write leaves nothing. */
class ProjectWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesEachFileBelowTheDirectory() throws Exception {
        Path dir = tmp.resolve("new/project");
        List<Path> written = ProjectWriter.into(dir).write(List.of(new ProjectFile("a.txt", "A"),
                new ProjectFile("b/c/d.txt", "D\u00e9")));
        assertEquals(List.of(dir.resolve("a.txt"), dir.resolve("b/c/d.txt")), written);
        assertEquals("D\u00e9", Files.readString(dir.resolve("b/c/d.txt")));
    }

    @Test
    void aPathLeadingOutOfTheDirectoryIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path dir = tmp.resolve("project");
        for (String path : List.of("../escape.txt", "a/../../escape.txt", "/etc/escape.txt", "", ".", "a/..")) {
            ProjectWriter writer = ProjectWriter.into(dir);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> writer.write(List.of(new ProjectFile("ok.txt", "x"), new ProjectFile(path, "x"))), path);
            assertTrue(e.getMessage().contains("'" + path + "'"), e.getMessage());
            assertFalse(Files.exists(dir), "nothing written for " + path);
        }
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
    }

    @Test
    void aFailedWriteRemovesWhatItCreatedAndNamesTheDirectory() throws Exception {
        Path dir = tmp.resolve("project");
        ProjectWriter writer = ProjectWriter.into(dir);
        // the same file twice: the second is refused (never overwritten), as a file appearing meanwhile would be
        var e = assertThrows(IOException.class, () -> writer.write(List.of(new ProjectFile("src/a.txt", "1"),
                new ProjectFile("b.txt", "2"), new ProjectFile("src/a.txt", "3"))));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("a.txt"), e.getMessage());
        assertFalse(Files.exists(dir), "the directory it created is gone");
    }

    @Test
    void aFailedWriteKeepsTheEmptyDirectoryItWasGiven() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("given"));
        ProjectWriter writer = ProjectWriter.into(dir);
        assertThrows(IOException.class, () -> writer.write(List.of(new ProjectFile("a", "1"), new ProjectFile("a", "2"))));
        assertTrue(Files.isDirectory(dir));
        try (var entries = Files.list(dir)) {
            assertEquals(0, entries.count(), "empty again");
        }
    }
}
