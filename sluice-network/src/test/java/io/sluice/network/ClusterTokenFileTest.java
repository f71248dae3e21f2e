package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token in its file: created 0600, read back, refused when others may read it, never overwritten. */
class ClusterTokenFileTest {
    @Test
    void aCreatedTokenIsReadableByItsOwnerOnlyAndReadsBackTheSame(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster/token");
        ClusterToken created = ClusterToken.create(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        ClusterToken read = ClusterToken.read(file);
        assertTrue(read.matches(created.hex()));
        assertEquals(64, created.hex().length(), "32 random bytes, hex");
        assertFalse(created.toString().contains(created.hex()), "the secret never appears in a message");
    }

    @Test
    void anotherTokenOrNoneDoesNotMatch(@TempDir Path dir) throws IOException {
        ClusterToken a = ClusterToken.create(dir.resolve("a"));
        ClusterToken b = ClusterToken.create(dir.resolve("b"));
        assertFalse(a.matches(b.hex()));
        assertFalse(a.matches((String) null));
        assertFalse(a.matches(a.hex().substring(1)), "malformed hex matches nothing");
        assertFalse(a.matches(a.hex().substring(2)), "a prefix is another secret");
        assertFalse(a.matches(""));
    }

    @Test
    void aTokenFileOthersMayReadIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("token");
        ClusterToken.create(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> ClusterToken.read(file));
        assertTrue(e.getMessage().contains("chmod 600") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void anExistingFileIsNeverOverwritten(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("token");
        ClusterToken first = ClusterToken.create(file);
        assertThrows(IOException.class, () -> ClusterToken.create(file));
        assertTrue(ClusterToken.read(file).matches(first.hex()));
    }
}
