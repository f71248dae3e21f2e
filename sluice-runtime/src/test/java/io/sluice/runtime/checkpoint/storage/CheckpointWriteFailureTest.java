package io.sluice.runtime.checkpoint.storage;

import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.assertReadsBack;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.checkpointDirs;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.list;
import static io.sluice.runtime.checkpoint.storage.StorageTestSupport.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk full and I/O errors while a checkpoint is written: that checkpoint fails with an error naming its id and the
 * file, leaves nothing behind once aborted, and the next checkpoint succeeds.
 */
class CheckpointWriteFailureTest {
    private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private final FaultyDisk disk = new FaultyDisk();

    @Test
    void diskFullWhileWritingAStateFileFailsThatCheckpointOnly() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root, disk);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage);
        Random random = new Random(5);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", randomBytes(random, 1000));
            store.complete(writer, PAYLOAD);
        }

        disk.spaceLeft(100_000);
        Path big = root.resolve("chk-000002/big");
        try (CheckpointWriter writer = storage.begin(2)) {
            writer.writeFile("small", new byte[1000]);
            CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () -> {
                try (StateFileOutputStream out = writer.createFile("big")) {
                    for (int i = 0; i < 100; i++) {
                        out.write(new byte[10_000]);
                    }
                    out.closeAndGetHandle();
                }
            });
            assertEquals(2, e.checkpointId());
            assertEquals(big.toString(), e.file());
            assertTrue(e.getMessage().startsWith("Checkpoint 2 failed: " + big + ": cannot write: " + FaultyDisk.NO_SPACE),
                    e.getMessage());
            assertFalse(Files.exists(big), "the partial file is deleted at once");
            writer.abort();
        }
        assertEquals(Set.of("chk-000001"), checkpointDirs(root));
        assertEquals(1, store.latest().orElseThrow().checkpointId());

        disk.unlimitedSpace();
        byte[] next = randomBytes(random, 1_000_000);
        StateFileHandle handle;
        try (CheckpointWriter writer = storage.begin(3)) {
            handle = writer.writeFile("big", next);
            store.complete(writer, PAYLOAD);
        }
        assertEquals(List.of(1L, 3L), storage.completedCheckpointIds());
        assertReadsBack(storage.open(3), handle, next);
    }

    @Test
    void diskFullWhileWritingTheMetadataFailsTheCheckpointAndAbortsIt() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root, disk);
        CompletedCheckpointStore store = CompletedCheckpointStore.open(storage);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeSharedFile("one.sst", new byte[10]);
            store.complete(writer, PAYLOAD);
        }
        StateFileHandle shared = store.latest().orElseThrow().files().getFirst();
        try (CheckpointWriter writer = storage.begin(2)) {
            writer.writeFile("a", new byte[1000]);
            writer.writeSharedFile("two.sst", new byte[1000]);
            writer.referenceSharedFile(shared);
            disk.spaceLeft(10);
            CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () -> store.complete(writer, new byte[5000]));
            assertEquals(2, e.checkpointId());
            assertEquals(root.resolve("chk-000002/_metadata.tmp").toString(), e.file());
            assertTrue(e.getMessage().contains("cannot write the metadata: " + FaultyDisk.NO_SPACE), e.getMessage());
        }
        assertEquals(Set.of("chk-000001"), checkpointDirs(root));
        assertEquals(Set.of("one.sst"), list(root.resolve("shared")), "the failed checkpoint's new shared file is gone");
        assertEquals(List.of(1L), storage.completedCheckpointIds());
        assertEquals(List.of(1L), store.retained().stream().map(CompletedCheckpoint::checkpointId).toList());
        assertEquals(1, store.sharedReferenceCount("one.sst"));

        disk.unlimitedSpace();
        try (CheckpointWriter writer = storage.begin(3)) {
            writer.referenceSharedFile(shared);
            store.complete(writer, PAYLOAD);
        }
        assertEquals(2, store.sharedReferenceCount("one.sst"));
        storage.open(3).verify();
    }

    @Test
    void aFailedFsyncOfAStateFileNamesTheFile() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root, disk);
        disk.failForce(p -> p.getFileName().toString().equals("bad"));
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("good", new byte[10]);
            CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () -> writer.writeFile("bad", new byte[10]));
            assertEquals(root.resolve("chk-000001/bad").toString(), e.file());
            assertTrue(e.getMessage().contains("cannot sync the file to disk: Input/output error"), e.getMessage());
            assertEquals(Set.of("good"), list(root.resolve("chk-000001")));
            // the caller may give up on the checkpoint, or write the file again
            disk.failForce(p -> false);
            writer.writeFile("bad", new byte[10]);
            writer.complete(PAYLOAD);
        }
        storage.open(1).verify();
    }

    @Test
    void aFailedFsyncOfTheMetadataLeavesNoCompleteCheckpoint() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root, disk);
        disk.failForce(p -> p.getFileName().toString().equals("_metadata.tmp"));
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", new byte[10]);
            CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () -> writer.complete(PAYLOAD));
            assertEquals(root.resolve("chk-000001/_metadata.tmp").toString(), e.file());
            assertTrue(e.getMessage().contains("cannot sync the metadata to disk"), e.getMessage());
        }
        assertEquals(Set.of(), checkpointDirs(root));
        disk.failForce(p -> false);
        try (CheckpointWriter writer = storage.begin(1)) {
            writer.writeFile("a", new byte[10]);
            writer.complete(PAYLOAD);
        }
        storage.open(1).verify();
    }

    @Test
    void aFileThatCannotBeCreatedNamesTheFile() throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(root, disk);
        disk.failCreate(p -> p.getFileName().toString().equals("x.sst"));
        try (CheckpointWriter writer = storage.begin(4)) {
            CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () -> writer.createSharedFile("x.sst"));
            assertEquals(4, e.checkpointId());
            assertEquals(root.resolve("shared/x.sst").toString(), e.file());
            assertTrue(e.getMessage().contains("cannot create the file"), e.getMessage());
            writer.writeFile("a", new byte[1]);
            writer.complete(PAYLOAD);
        }
        assertEquals(List.of(4L), storage.completedCheckpointIds());
    }
}
