package io.sluice.runtime.checkpoint.storage;

import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.assertReadsBack;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.checkpointDirs;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.flipByte;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.runtime.checkpoint.storage.StateFileHandle.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A completed checkpoint damaged after the fact: every kind of damage is an error naming the checkpoint id and the
 * file, and nothing falls back to the older, intact checkpoint.
 */
class CheckpointCorruptionTest {
    private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    enum Damage { FLIP_BYTE, TRUNCATE, APPEND, DELETE, REPLACE_SAME_SIZE }

    static Stream<Arguments> damages() {
        return Stream.of(Damage.values()).flatMap(d -> Stream.of(Arguments.of(d, Scope.PRIVATE), Arguments.of(d, Scope.SHARED)));
    }

    /** Checkpoint 1 intact; checkpoint 2 with one private and one shared file of 100 KiB. */
    private FileSystemCheckpointStorage twoCheckpoints() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root);
        Random random = new Random(11);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("state", randomBytes(random, 1000));
            writer.complete(PAYLOAD);
        }
        try (CheckpointWriter writer = storage.begin(2)) {
            writer.writeFile("state", randomBytes(random, 100_000));
            writer.writeFile("other", randomBytes(random, 10));
            writer.writeSharedFile("state.sst", randomBytes(random, 100_000));
            writer.complete(PAYLOAD);
        }
        return storage;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("damages")
    void aDamagedStateFileIsAnErrorNamingCheckpointAndFile(Damage damage, Scope scope) throws IOException {
        FileSystemCheckpointStorage storage = twoCheckpoints();
        CompletedCheckpoint checkpoint = storage.open(2);
        StateFileHandle victim = checkpoint.file(scope, scope == Scope.PRIVATE ? "state" : "state.sst").orElseThrow();
        Path file = Path.of(checkpoint.fileLocation(victim));
        switch (damage) {
            case FLIP_BYTE -> flipByte(file, 54_321);
            case TRUNCATE -> StorageTestSupport.truncate(file, 99_999);
            case APPEND -> StorageTestSupport.append(file, new byte[] {0});
            case DELETE -> Files.delete(file);
            case REPLACE_SAME_SIZE -> Files.write(file, new byte[100_000]);
        }

        // the damaged checkpoint is still the latest: never the older, intact one
        assertEquals(OptionalLong.of(2), storage.latestCompletedId());
        CompletedCheckpoint latest = storage.openLatest().orElseThrow();
        assertEquals(2, latest.checkpointId());

        CorruptCheckpointException read = assertThrows(CorruptCheckpointException.class, () -> latest.readFile(victim));
        assertNamesCheckpointAndFile(read, 2, file);
        assertNamesCheckpointAndFile(assertThrows(CorruptCheckpointException.class, latest::verify), 2, file);
        CorruptCheckpointException streamed = assertThrows(CorruptCheckpointException.class, () -> {
            try (InputStream in = latest.openFile(victim)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        });
        assertNamesCheckpointAndFile(streamed, 2, file);
        String expectedProblem = switch (damage) {
            case FLIP_BYTE, REPLACE_SAME_SIZE -> "checksum mismatch";
            case TRUNCATE -> "truncated";
            case APPEND -> "has 100001 bytes";
            case DELETE -> "missing";
        };
        assertTrue(read.getMessage().contains(expectedProblem), read.getMessage());

        // the intact files of the same checkpoint still read, and the store too keeps the damaged checkpoint latest
        latest.readFile(latest.file(Scope.PRIVATE, "other").orElseThrow());
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage);
        assertEquals(2, store.latest().orElseThrow().checkpointId());
        assertEquals(Set.of("chk-000001", "chk-000002"), checkpointDirs(root));
    }

    @Test
    void aFileThatGrowsWhileReadFailsAsSoonAsTheExtraBytesAreRead() throws IOException {
        FileSystemCheckpointStorage storage = twoCheckpoints();
        CompletedCheckpoint checkpoint = storage.open(2);
        StateFileHandle victim = checkpoint.file(Scope.PRIVATE, "state").orElseThrow();
        Path file = Path.of(checkpoint.fileLocation(victim));
        try (InputStream in = checkpoint.openFile(victim)) {
            StorageTestSupport.append(file, new byte[10]);
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                    () -> in.transferTo(java.io.OutputStream.nullOutputStream()));
            assertNamesCheckpointAndFile(e, 2, file);
            assertTrue(e.getMessage().contains("longer than the 100000 bytes"), e.getMessage());
        }
    }

    enum MetadataDamage { FLIP_BYTE, TRUNCATE, EMPTY, GARBAGE, OTHER_CHECKPOINTS_METADATA }

    @ParameterizedTest
    @EnumSource(MetadataDamage.class)
    void damagedMetadataIsAnErrorNamingCheckpointAndFileAndNothingFallsBack(MetadataDamage damage) throws IOException {
        FileSystemCheckpointStorage storage = twoCheckpoints();
        Path metadata = root.resolve("chk-000002/_metadata");
        long seed = 2024 + damage.ordinal();
        System.out.println("CheckpointCorruptionTest.damagedMetadata " + damage + " seed=" + seed);
        Random random = new Random(seed);
        switch (damage) {
            case FLIP_BYTE -> flipByte(metadata, random.nextInt((int) Files.size(metadata)));
            case TRUNCATE -> StorageTestSupport.truncate(metadata, Files.size(metadata) - 1 - random.nextInt(10));
            case EMPTY -> StorageTestSupport.truncate(metadata, 0);
            case GARBAGE -> Files.write(metadata, randomBytes(random, 300));
            case OTHER_CHECKPOINTS_METADATA -> Files.copy(root.resolve("chk-000001/_metadata"), metadata,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(OptionalLong.of(2), storage.latestCompletedId());
        assertNamesCheckpointAndFile(assertThrows(CorruptCheckpointException.class, () -> storage.open(2)), 2, metadata);
        assertNamesCheckpointAndFile(assertThrows(CorruptCheckpointException.class, storage::openLatest), 2, metadata);
        CorruptCheckpointException byPath = assertThrows(CorruptCheckpointException.class,
                () -> FileSystemCheckpointStorage.openPath(root.resolve("chk-000002")));
        assertTrue(byPath.getMessage().contains(metadata.toString()), byPath.getMessage());

        // a store cannot tell which shared files the damaged checkpoint names: it fails and deletes nothing
        Set<String> before = StorageTestSupport.list(root.resolve("shared"));
        assertNamesCheckpointAndFile(assertThrows(CorruptCheckpointException.class,
                () -> CompletedCheckpointStore.open(storage, 1, false)), 2, metadata);
        assertEquals(Set.of("chk-000001", "chk-000002"), checkpointDirs(root));
        assertEquals(before, StorageTestSupport.list(root.resolve("shared")));
        storage.open(1).verify();
    }

    @Test
    void metadataNamingAFileOutsideItsDirectoryIsCorrupt() throws IOException {
        FileSystemCheckpointStorage storage = twoCheckpoints();
        Path metadata = root.resolve("chk-000002/_metadata");
        Files.write(metadata, craftMetadata(2, "../chk-000001/state"));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> storage.open(2));
        assertNamesCheckpointAndFile(e, 2, metadata);
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void stateFilesNeverWrittenByTheCheckpointAreNotOpened() throws IOException {
        FileSystemCheckpointStorage storage = twoCheckpoints();
        CompletedCheckpoint checkpoint = storage.open(2);
        assertThrows(IllegalArgumentException.class,
                () -> checkpoint.openFile(new StateFileHandle(Scope.PRIVATE, "state", 1000, 0)));
        assertReadsBackIntact(storage.open(1));
    }

    private static void assertReadsBackIntact(CompletedCheckpoint checkpoint) throws IOException {
        StateFileHandle state = checkpoint.file(Scope.PRIVATE, "state").orElseThrow();
        assertReadsBack(checkpoint, state, checkpoint.readFile(state));
    }

    /** Metadata bytes with a valid checksum naming one private file {@code name}, bypassing name validation. */
    private static byte[] craftMetadata(long id, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(4 + 4 + 8 + 4 + 1 + 2 + nameBytes.length + 8 + 4 + 4 + 4);
        out.putInt(MetadataFormat.MAGIC).putInt(MetadataFormat.VERSION).putLong(id).putInt(1);
        out.put((byte) 0).putShort((short) nameBytes.length).put(nameBytes).putLong(1000).putInt(0);
        out.putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    private static void assertNamesCheckpointAndFile(CorruptCheckpointException e, long id, Path file) {
        assertEquals(id, e.checkpointId(), e.getMessage());
        assertEquals(file.toString(), e.file(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Checkpoint " + id + " is corrupt: " + file), e.getMessage());
    }
}
