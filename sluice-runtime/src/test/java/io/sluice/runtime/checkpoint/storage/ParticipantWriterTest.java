package io.sluice.runtime.checkpoint.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written by two processes: the coordinator begins and completes it, a worker's participant writer
 * writes its tasks' files into it, and the coordinator adopts what the participant reported. Each process has its
 * own storage object over the same directory, as two JVMs would.
 */
class ParticipantWriterTest {

    @Test
    void filesAParticipantWroteArePartOfTheCompletedCheckpoint(@TempDir Path root) throws Exception {
        FileSystemCheckpointStorage coordinator = new FileSystemCheckpointStorage(root);
        FileSystemCheckpointStorage worker = new FileSystemCheckpointStorage(root);
        CheckpointWriter writer = coordinator.begin(7);
        CheckpointWriter participant = worker.participant(7);
        StateFileHandle own = participant.writeFile("task-0", bytes("private state"));
        StateFileHandle shared = participant.writeSharedFile("sst-1", bytes("shared state"));
        writer.writeFile("coordinator", bytes("enumerators"));
        for (StateFileHandle h : List.of(own, shared)) {
            writer.adopt(h);
        }
        CompletedCheckpoint done = writer.complete(bytes("job"));

        CompletedCheckpoint read = new FileSystemCheckpointStorage(root).open(7);
        assertEquals(3, read.files().size(), read.files().toString());
        assertArrayEquals(bytes("private state"), read.readFile(read.file(StateFileHandle.Scope.PRIVATE, "task-0").orElseThrow()));
        assertArrayEquals(bytes("shared state"), read.readFile(read.file(StateFileHandle.Scope.SHARED, "sst-1").orElseThrow()));
        read.verify();
        assertEquals(done.location(), read.location());
        assertThrows(IllegalStateException.class, () -> participant.complete(bytes("no")),
                "only the coordinator completes a checkpoint");
    }

    @Test
    void aParticipantsAbortDeletesOnlyItsOwnFiles(@TempDir Path root) throws Exception {
        FileSystemCheckpointStorage coordinator = new FileSystemCheckpointStorage(root);
        CheckpointWriter writer = coordinator.begin(3);
        StateFileHandle kept = writer.writeFile("coordinator", bytes("enumerators"));
        CheckpointWriter participant = new FileSystemCheckpointStorage(root).participant(3);
        participant.writeFile("task-0", bytes("gone"));
        participant.writeSharedFile("sst-9", bytes("gone too"));
        participant.abort();

        Path dir = coordinator.checkpointDirectory(3);
        assertFalse(Files.exists(dir.resolve("task-0")));
        assertFalse(Files.exists(coordinator.sharedDirectory().resolve("sst-9")));
        assertTrue(Files.exists(dir.resolve(kept.name())), "the coordinator's files stay");
        assertEquals(3, writer.complete(bytes("job")).checkpointId(), "the checkpoint can still complete");
    }

    @Test
    void aFileThatIsMissingOrOfAnotherSizeIsNotAdopted(@TempDir Path root) throws Exception {
        FileSystemCheckpointStorage coordinator = new FileSystemCheckpointStorage(root);
        CheckpointWriter writer = coordinator.begin(4);
        StateFileHandle written = coordinator.participant(4).writeFile("task-1", bytes("1234"));
        CheckpointWriteException missing = assertThrows(CheckpointWriteException.class,
                () -> writer.adopt(new StateFileHandle(StateFileHandle.Scope.PRIVATE, "task-2", 4, 0)));
        assertTrue(missing.getMessage().contains("task-2"), missing.getMessage());
        CheckpointWriteException resized = assertThrows(CheckpointWriteException.class,
                () -> writer.adopt(new StateFileHandle(StateFileHandle.Scope.PRIVATE, "task-1", 5, written.crc32c())));
        assertTrue(resized.getMessage().contains("5"), resized.getMessage());
        writer.adopt(written);
        assertEquals(List.of(written), writer.files());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
