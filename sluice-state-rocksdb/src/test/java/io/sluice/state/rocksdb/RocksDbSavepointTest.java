package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.execution.JobClient;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.state.ValueState;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.SumPerKey;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint of RocksDB state taken while incremental checkpoints run: it is written in the canonical format, one
 * key-group file per subtask in its own directory (the savepoint kind reaches every keyed subtask on its aligned
 * barriers), never RocksDB's SST files, so it names nothing of the checkpoints' and stays restorable after the
 * checkpoint directory is gone, also at another parallelism.
 */
class RocksDbSavepointTest {
    private static final int KEYS = 500;

    private static StreamEnvironment job(long n, double rate, int parallelism, CollectSink<String> sink, Path local) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism).setStateBackend("rocksdb")
                .setStateBackendOption("rocksdb.incremental", "true")
                .setStateBackendOption("rocksdb.local-dir", local.toString());
        env.generateSequence(1, n, rate).uid("numbers")
                .keyBy(v -> v % KEYS)
                .process(new SumPerKey(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("collect");
        return env;
    }

    @Test
    @Timeout(60)
    void aSavepointBesideIncrementalCheckpointsIsSelfContained(@TempDir Path dir) throws Exception {
        long n = 200_000;
        CollectSink<String> first = new CollectSink<>();
        StreamEnvironment env = job(n, 100_000, 2, first, dir.resolve("local"));
        Path checkpoints = dir.resolve("checkpoints");
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)).withDirectory(checkpoints.toString()));
        JobClient client = env.executeAsync("before the savepoint");
        Thread.sleep(600); // several incremental checkpoints complete first
        String savepoint = client.stopWithSavepoint(dir.resolve("savepoints").toString());
        client.await();
        var completed = FileSystemCheckpointStorage.openPath(Path.of(savepoint));
        assertEquals(0, completed.metadata().files(StateFileHandle.Scope.SHARED).size(),
                "a savepoint never holds RocksDB's native (SST) files, even beside incremental checkpoints");
        assertEquals(2, completed.files().stream().filter(f -> f.name().startsWith("keyed-")).count(),
                "one canonical key-group file per subtask of the keyed operator");
        deleteTree(checkpoints);

        CollectSink<String> second = new CollectSink<>();
        StreamEnvironment resumed = job(n, 0, 3, second, dir.resolve("local"));
        resumed.restoreFrom(savepoint);
        resumed.execute("after the savepoint");
        Map<Long, Long> expected = SumPerKey.oracle(n, KEYS);
        Map<Long, Long> actual = SumPerKey.parse(second.results());
        assertEquals(expected, actual);
        first.clear();
        second.clear();
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
