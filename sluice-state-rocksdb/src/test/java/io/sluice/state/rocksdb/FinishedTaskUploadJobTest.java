package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.CheckpointWatch;
import io.sluice.runtime.checkpoint.SumPerKey;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed task that reached the end of its input lets its last checkpoint's incremental upload end before it closes
 * its RocksDB state (a neighbour of issue 12). Before 2f723ca a finished task closed its backend at once: an upload
 * still queued on the checkpoint I/O thread then started after the close, failed ("closed before the upload of its
 * local checkpoint started") and declined the checkpoint the task had taken.
 *
 * <p>Two keyed subtasks share the job's one checkpoint I/O thread. The probe holds the first keyed upload of a
 * backend's second checkpoint before it lists its files: that checkpoint cannot complete, so none begins after it, and
 * the other keyed subtask's upload of it waits in the I/O queue behind the held one. The probe lets the upload go once
 * both keyed tasks have reached the end of their input and either closed their state (the old code) or wait for their
 * checkpoints' writes (now). Waiting has no hook: the probe sees both task threads parked in
 * {@code TaskCheckpoints.awaitWrites}, in their stacks. When the last keyed backend has closed, the probe reads the
 * checkpoint storage: the held checkpoint must be complete by then, with the keyed state of both subtasks.
 */
@Timeout(60)
class FinishedTaskUploadJobTest {
    private static final String JOB = "finished upload";
    private static final long N = 10_000;
    /** Slow enough for the keyed backends to take two checkpoints before the input ends. */
    private static final double RATE = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String WAITED = "both keyed tasks wait for their checkpoint writes";
    private static final String CLOSED = "both keyed tasks closed their state";

    @AfterEach
    void removeProbe() {
        LifecycleProbe.install(LifecycleProbe.NONE);
    }

    /** Holds the first keyed upload of a backend's second checkpoint until both keyed tasks ended, as described above. */
    private static final class HoldLastUpload implements LifecycleProbe {
        private final Path checkpoints;
        final AtomicReference<Path> held = new AtomicReference<>();
        /** The checkpoint the held upload belongs to (the one in flight when it was held); 0 before. */
        volatile long heldCheckpoint;
        volatile String releasedBecause = "never held";
        /** Uploads of the other keyed backend that ended (stored, declined or failed, not refused) after the hold. */
        final AtomicInteger otherUploadsEnded = new AtomicInteger();
        private int keyedCloses;
        /** What the storage held of {@link #heldCheckpoint} when the last keyed backend had closed. */
        volatile String heldCheckpointAtLastClose = "no close";

        HoldLastUpload(Path checkpoints) {
            this.checkpoints = checkpoints;
        }

        @Override
        public void beforeListing(Path local) {
            int sequence = Integer.parseInt(local.getFileName().toString().substring("chk-".length()));
            if (sequence >= 2 && held.compareAndSet(null, local)) {
                heldCheckpoint = CheckpointWatch.newestBegun(checkpoints);
                releasedBecause = awaitTheKeyedTasksEnd();
            }
        }

        @Override
        public void afterUpload(Path local) {
            Path h = held.get();
            if (h != null && !local.getParent().equals(h.getParent())) {
                otherUploadsEnded.incrementAndGet();
            }
        }

        @Override
        public synchronized void afterClose(Path directory) {
            if (++keyedCloses == 2) {
                heldCheckpointAtLastClose = describe(heldCheckpoint);
            }
        }

        private synchronized int keyedCloses() {
            return keyedCloses;
        }

        /** Polls (bounded) until both keyed tasks closed their state or both wait for their checkpoint writes. */
        private String awaitTheKeyedTasksEnd() {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (keyedCloses() == 2) {
                    return CLOSED;
                }
                if (keyedTasksWaitingForWrites() == 2) {
                    return WAITED;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return "timed out after " + WAIT;
        }

        /** Whether checkpoint {@code id} is complete, and which subtasks of 'sum' it holds keyed state of. */
        private String describe(long id) {
            if (CheckpointWatch.completedOrZero(checkpoints, id) != id) {
                return "checkpoint " + id + " not complete";
            }
            try {
                RestoredState state = RestoredState.load(new FileSystemCheckpointStorage(checkpoints).open(id));
                return "checkpoint " + id + " complete with keyed state of subtasks " + state.of("sum").stream()
                        .filter(s -> s.keyed() != null).map(OperatorSubtaskState::subtask).toList();
            } catch (IOException e) {
                return "checkpoint " + id + " unreadable: " + e;
            }
        }
    }

    /** The keyed tasks' threads (named after the job and their chain, which starts with "Sum") parked for writes. */
    private static long keyedTasksWaitingForWrites() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sluice " + JOB + ": Sum"))
                .filter(t -> t.getState() == Thread.State.TIMED_WAITING && Arrays.stream(t.getStackTrace()).anyMatch(
                        f -> f.getClassName().equals("io.sluice.runtime.task.TaskCheckpoints")
                                && f.getMethodName().equals("awaitWrites")))
                .count();
    }

    /**
     * The held upload's checkpoint completes with both keyed subtasks' state before their backends close (the other
     * subtask's upload of it ran to its end), and the job's sums equal the plain-Java sums.
     */
    @Test
    void aFinishedKeyedTaskClosesItsStateOnlyAfterItsLastUploadEnded(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        HoldLastUpload probe = new HoldLastUpload(checkpoints);
        LifecycleProbe.install(probe);
        CollectSink<String> sink = new CollectSink<>();
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2).setStateBackend("rocksdb")
                .setStateBackendOption("rocksdb.incremental", "true")
                .setStateBackendOption("rocksdb.local-dir", dir.resolve("local").toString())
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(20)).withDirectory(checkpoints.toString()));
        env.generateSequence(1, N, RATE).uid("numbers").setParallelism(1)
                .keyBy(v -> v % SumPerKey.KEYS)
                .process(new SumPerKey(), Types.STRING).name("Sum").uid("sum")
                .sinkTo(sink).uid("collect");
        env.execute(JOB);

        long held = probe.heldCheckpoint;
        List<String> results = sink.results();
        sink.clear();
        assertTrue(held > 0, "an upload was held while the keyed tasks ended");
        assertAll(
                () -> assertEquals(WAITED, probe.releasedBecause, "while the upload of checkpoint " + held + " was held"),
                () -> assertEquals(1, probe.otherUploadsEnded.get(),
                        "the other keyed subtask's upload of checkpoint " + held + " started and ended"),
                () -> assertEquals("checkpoint " + held + " complete with keyed state of subtasks [0, 1]",
                        probe.heldCheckpointAtLastClose),
                () -> assertEquals(SumPerKey.oracle(N), SumPerKey.parse(results)));
    }
}
