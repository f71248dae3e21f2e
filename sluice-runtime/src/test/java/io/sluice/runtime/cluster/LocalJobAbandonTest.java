package io.sluice.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.SumPerKey;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job abandoned by the process running it (a cluster worker whose coordinator is gone) keeps its checkpoints, unlike
 * a cancelled one, whose checkpoints go when it does not retain them on cancel; the job then resumes from the newest
 * one to the exact result.
 */
@Timeout(60)
class LocalJobAbandonTest {
    private static final long N = 300_000;

    @TempDir
    Path dir;

    private static StreamEnvironment job(Path checkpoints, CollectSink<String> sink) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(30)).withDirectory(checkpoints.toString()));
        env.generateSequence(1, N, 100_000).uid("numbers")
                .keyBy(v -> v % SumPerKey.KEYS)
                .process(new SumPerKey(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("collect");
        return env;
    }

    /** Runs the job until it completed 2 checkpoints, then stops it with {@code stop}; the newest checkpoint left. */
    private static OptionalLong runAndStop(Path checkpoints, java.util.function.Consumer<LocalJob> stop) throws Exception {
        LocalJob job = new LocalExecutor().submit(job(checkpoints, new CollectSink<>()).buildJobGraph("abandoned"));
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(checkpoints);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (storage.completedCheckpointIds().size() < 2) {
            assertTrue(System.nanoTime() < deadline, "2 checkpoints within 30 s");
            Thread.sleep(10);
        }
        stop.accept(job);
        JobExecutionException e = assertThrows(JobExecutionException.class, job::await);
        assertTrue(e.getMessage().contains("was"), e.getMessage());
        return storage.latestCompletedId();
    }

    @Test
    void anAbandonedJobKeepsItsCheckpointsAndResumesFromThemExactly() throws Exception {
        Path checkpoints = dir.resolve("abandoned");
        LocalJob[] stopped = new LocalJob[1];
        OptionalLong latest = runAndStop(checkpoints, job -> {
            stopped[0] = job;
            job.abandon("its coordinator is gone");
        });
        JobExecutionException e = assertThrows(JobExecutionException.class, stopped[0]::await);
        assertEquals("Job 'abandoned' was stopped here (its coordinator is gone); its checkpoints are kept", e.getMessage());
        assertTrue(latest.isPresent(), "the abandoned job's checkpoints are kept");

        CollectSink<String> sink = new CollectSink<>();
        String path = new FileSystemCheckpointStorage(checkpoints).checkpointDirectory(latest.getAsLong()).toString();
        new LocalExecutor().submit(job(dir.resolve("resumed"), sink).buildJobGraph("resumed"),
                SubmitOptions.fresh().withRestorePath(path)).await();
        assertEquals(SumPerKey.oracle(N), SumPerKey.parse(sink.results()), "resumed from " + path);
        sink.clear();
    }

    @Test
    void aCancelledJobDeletesItsCheckpointsUnlessRetainedOnCancel() throws Exception {
        assertTrue(runAndStop(dir.resolve("cancelled"), LocalJob::cancel).isEmpty(), "a cancel deletes them");
    }
}
