package io.sluice.runtime.checkpoint.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Small helpers shared by the storage tests: data, checksums, damage to files on disk, directory listings. */
final class StorageTestSupport {
    private StorageTestSupport() {
    }

    static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** Flips every bit of the byte at {@code offset}. */
    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.toIntExact(offset)] ^= (byte) 0xFF;
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    /** Names of the entries directly in {@code dir}, sorted; empty if it does not exist. */
    static TreeSet<String> list(Path dir) {
        TreeSet<String> names = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Checkpoint directory names under {@code root}. */
    static TreeSet<String> checkpointDirs(Path root) {
        TreeSet<String> names = list(root);
        names.remove("shared");
        return names;
    }

    static void assertReadsBack(CompletedCheckpoint checkpoint, StateFileHandle handle, byte[] expected) throws IOException {
        assertEquals(expected.length, handle.size(), "size of " + handle);
        assertEquals(crc32c(expected), handle.crc32c(), "checksum of " + handle);
        byte[] actual = checkpoint.readFile(handle);
        if (!java.util.Arrays.equals(expected, actual)) {
            throw new AssertionError("contents of " + checkpoint.fileLocation(handle) + " differ");
        }
    }
}
