package io.sluice.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Resuming from a bad checkpoint fails at once with a clear message; never a silent fallback. */
class RestoreErrorsTest {
    @TempDir
    static Path dir;
    private static Path checkpoint;

    private static StreamEnvironment job(String sumUid, double rate, CollectSink<String> sink) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.generateSequence(1, 200_000, rate).uid("numbers")
                .keyBy(v -> v % 100)
                .process(new SumPerKey(), Types.STRING).uid(sumUid)
                .sinkTo(sink).uid("collect");
        return env;
    }

    /** A retained checkpoint of a cancelled run. */
    @BeforeAll
    static void retainACheckpoint() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        StreamEnvironment env = job("sum", 100_000, new CollectSink<>());
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(30)).withDirectory(checkpoints.toString())
                .withRetainOnCancel(true));
        JobClient client = env.executeAsync("to be cancelled");
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(checkpoints);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (storage.completedCheckpointIds().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        client.cancel();
        assertThrows(JobExecutionException.class, client::await);
        checkpoint = storage.checkpointDirectory(storage.latestCompletedId().orElseThrow());
    }

    private static Path copyOfCheckpoint(String name) throws Exception {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(checkpoint)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    @Test
    @Timeout(60)
    void aCorruptStateFileNamesTheCheckpointAndTheFile() throws Exception {
        Path copy = copyOfCheckpoint("corrupt");
        Path state;
        try (Stream<Path> files = Files.list(copy)) {
            state = files.filter(f -> f.getFileName().toString().startsWith("op-sum")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(state);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(state, bytes);
        StreamEnvironment env = job("sum", 0, new CollectSink<>());
        env.restoreFrom(copy.toString());
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("from a corrupt checkpoint"));
        String id = checkpoint.getFileName().toString().replace("chk-", "").replaceFirst("^0+", "");
        assertTrue(e.getMessage().contains("Checkpoint " + id) && e.getMessage().contains(state.getFileName().toString()),
                e.getMessage());
    }

    /** A checkpoint that names no state of one keyed subtask would restore its key groups empty: it fails instead. */
    @Test
    @Timeout(60)
    void aCheckpointMissingAKeyedSubtaskFailsInsteadOfRestoringItEmpty() throws Exception {
        io.sluice.runtime.checkpoint.storage.CompletedCheckpoint full = FileSystemCheckpointStorage.openPath(checkpoint);
        FileSystemCheckpointStorage partial = new FileSystemCheckpointStorage(dir.resolve("partial"));
        String dropped = null;
        try (io.sluice.runtime.checkpoint.storage.CheckpointWriter writer = partial.begin(full.checkpointId())) {
            for (io.sluice.runtime.checkpoint.storage.StateFileHandle f : full.files()) {
                if (dropped == null && f.name().startsWith("op-sum") && f.name().endsWith("-1.state")) {
                    dropped = f.name(); // subtask 1 of the keyed sum
                    continue;
                }
                writer.writeFile(f.name(), full.readFile(f));
            }
            writer.complete(full.payload());
        }
        assertTrue(dropped != null, "the checkpoint holds subtask 1 of 'sum': " + full.files());
        StreamEnvironment env = job("sum", 0, new CollectSink<>());
        env.restoreFrom(partial.checkpointDirectory(full.checkpointId()).toString());
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("from a partial checkpoint"));
        assertTrue(e.getMessage().contains("holds no state of subtask(s) {1} (of 2)") && e.getMessage().contains("uid sum"),
                e.getMessage());
    }

    @Test
    @Timeout(60)
    void aCheckpointWithoutMetadataIsNotACheckpoint() throws Exception {
        Path copy = copyOfCheckpoint("torn");
        Files.delete(copy.resolve("_metadata"));
        StreamEnvironment env = job("sum", 0, new CollectSink<>());
        env.restoreFrom(copy.toString());
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("from a torn checkpoint"));
        assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
    }

    @Test
    @Timeout(60)
    void stateOfAnUnknownOperatorFailsUnlessAllowed() throws Exception {
        StreamEnvironment env = job("renamed-sum", 0, new CollectSink<>());
        env.restoreFrom(checkpoint.toString());
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("renamed operator"));
        assertTrue(e.getMessage().contains("'sum'") && e.getMessage().contains("matches no operator"), e.getMessage());

        CollectSink<String> sink = new CollectSink<>();
        StreamEnvironment allowed = job("renamed-sum", 0, sink);
        allowed.restoreFrom(checkpoint.toString()).setAllowNonRestoredState(true);
        allowed.execute("renamed operator, allowed");
        // The source resumed from the checkpoint, the renamed sum started empty: it sums only the rest.
        long total = sink.results().stream().mapToLong(l -> Long.parseLong(l.split("=")[1])).sum();
        long all = 200_000L * 200_001 / 2;
        assertTrue(total > 0 && total < all, "sum of the records after the checkpoint: " + total);
        assertEquals(100, List.copyOf(sink.results()).size());
        sink.clear();
    }
}
