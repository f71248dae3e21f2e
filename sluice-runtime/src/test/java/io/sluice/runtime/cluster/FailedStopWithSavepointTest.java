package io.sluice.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.SumPerKey;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop-with-savepoint whose savepoint fails leaves the job running as before: periodic checkpoints go on (they
 * stayed suspended), and the job ends with its exact result when its input does.
 */
@Timeout(60)
class FailedStopWithSavepointTest {
    /** 8 s of input: long enough for periodic checkpoints after the failed stop. */
    private static final long N = 200_000;

    @TempDir
    Path dir;

    @Test
    void aFailedStopLeavesTheJobCheckpointingAndItFinishesExactly() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        CollectSink<String> sink = new CollectSink<>();
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(30)).withDirectory(checkpoints.toString()));
        env.generateSequence(1, N, 25_000).uid("numbers")
                .keyBy(v -> v % SumPerKey.KEYS)
                .process(new SumPerKey(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("collect");
        try {
            JobClient job = new LocalExecutor().submit(env.buildJobGraph("stop fails"));
            FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(checkpoints);
            awaitCheckpoints(storage, 1);
            Path notADirectory = Files.writeString(dir.resolve("a-file"), "not a directory");
            JobExecutionException e = assertThrows(JobExecutionException.class,
                    () -> job.stopWithSavepoint(notADirectory.resolve("savepoints").toString()));
            assertTrue(e.getMessage().contains("savepoint"), e.getMessage());
            long before = storage.latestCompletedId().orElseThrow();
            // Periodic ones: the job's end adds at most two (its finished tasks' and its final checkpoint).
            awaitCheckpoints(storage, before + 5);
            job.await();
            assertEquals(SumPerKey.oracle(N), SumPerKey.parse(sink.results()));
        } finally {
            sink.clear();
        }
    }

    /** Waits until checkpoint {@code id} or a later one completed. */
    private static void awaitCheckpoints(FileSystemCheckpointStorage storage, long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (storage.latestCompletedId().orElse(0) < id) {
            assertTrue(System.nanoTime() < deadline, "checkpoint " + id + " completed within 20 s");
            Thread.sleep(5);
        }
    }
}
