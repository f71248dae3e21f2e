package io.sluice.runtime.task;

import io.sluice.runtime.serialization.SplitLists;
import io.sluice.runtime.channel.ChannelWriter;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.checkpoint.CheckpointResponder;
import io.sluice.runtime.checkpoint.CheckpointSnapshotFiles;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotKind;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's part in checkpoints. On the task thread (a source's trigger mail, or the input's alignment): every chained
 * operator prepares ({@code snapshotState}), its keyed and operator state is captured (copy-on-write, cheap), the
 * source's split positions are taken, and the barrier is forwarded downstream, after every record before it. Then,
 * off the task thread, the captured state is serialized into one file per operator and acknowledged.
 */
final class TaskCheckpoints implements CheckpointHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TaskCheckpoints.class);

    private final TaskKey key;
    private final String taskName;
    private final int subtask;
    private final int parallelism;
    private final List<ChainMember> chain;
    private final String sourceUid;
    private final TaskInput input;
    private final List<ChannelWriter> writers;
    private final CheckpointResponder responder;
    private final Executor io;
    private volatile long lastTaken;
    /** Asynchronous parts queued or running; guarded by itself, which is notified when it drops. */
    private final int[] writesInFlight = new int[1];
    /** When the input started blocking channels for the current alignment; 0 when not aligning. Task thread. */
    private long alignmentStartNanos;

    /** The input blocked its first channel for a checkpoint's alignment. */
    @Override
    public void onAlignmentStarted() {
        if (alignmentStartNanos == 0) {
            alignmentStartNanos = System.nanoTime();
        }
    }

    /** One operator's captured state; {@code counters} null for a source reader's splits (not an operator's state). */
    private record Captured(String uid, KeyedStateBackend.PendingSnapshot keyed, OperatorStateSnapshot operator, byte[] splits,
            io.sluice.runtime.operator.OperatorCounters counters) {}

    TaskCheckpoints(TaskKey key, String taskName, int subtask, int parallelism, List<ChainMember> chain, String sourceUid,
            TaskInput input, List<ChannelWriter> writers, CheckpointResponder responder, Executor io) {
        this.key = key;
        this.taskName = taskName;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.chain = chain;
        this.sourceUid = sourceUid;
        this.input = input;
        this.writers = writers;
        this.responder = responder;
        this.io = io;
    }

    /** A source task's trigger: runs as a mail, between two polls of the reader. */
    void triggerAtSource(long checkpointId, SnapshotKind kind) throws Exception {
        perform(checkpointId, kind);
    }

    @Override
    public void onCheckpointAligned(long checkpointId, SnapshotKind kind) throws Exception {
        perform(checkpointId, kind);
    }

    @Override
    public void onCheckpointAborted(long checkpointId, String reason) {
        alignmentStartNanos = 0;
        responder.decline(key, checkpointId, taskName + ": " + reason);
        for (ChannelWriter w : writers) {
            w.broadcastEvent(new ControlEvent.CancelCheckpoint(checkpointId));
        }
    }

    /**
     * Checkpoint {@code checkpointId} is complete: the source reader (first) and the operators may make its side
     * effects visible. Task thread.
     */
    void notifyComplete(long checkpointId) {
        if (sourceUid != null) {
            try {
                input.notifyCheckpointComplete(checkpointId);
            } catch (OperatorException e) {
                throw e;
            } catch (Exception | Error e) {
                throw new OperatorException(taskName, e);
            }
        }
        for (ChainMember m : chain) {
            try {
                KeyedStateBackend backend = m.setup().stateBackend();
                if (backend != null) {
                    backend.notifyCheckpointComplete(checkpointId);
                }
                m.operator().notifyCheckpointComplete(checkpointId);
            } catch (OperatorException e) {
                throw e;
            } catch (Exception | Error e) {
                throw new OperatorException(m.name(), e);
            }
        }
    }

    /** The uid of the task's source, or {@code null} if it reads channels. */
    String sourceUid() {
        return sourceUid;
    }

    /** The newest checkpoint this task took part in (its state captured), or 0. */
    long lastCheckpointTaken() {
        return lastTaken;
    }

    private void perform(long checkpointId, SnapshotKind kind) throws Exception {
        lastTaken = checkpointId;
        List<Captured> captured = new ArrayList<>(chain.size() + 1);
        if (sourceUid != null) {
            ReaderSnapshot reader = input.snapshotReader(checkpointId);
            OperatorSubtaskState state = OperatorSubtaskState.ofSource(sourceUid, subtask, parallelism,
                    SplitLists.write(reader.splits()), reader.finishedSplitIds());
            captured.add(new Captured(sourceUid, null, state.operator(), state.splits(), null));
        }
        for (ChainMember m : chain) {
            try {
                m.operator().snapshotState(checkpointId);
                KeyedStateBackend backend = m.setup().stateBackend();
                captured.add(new Captured(m.uid(), backend == null ? null : backend.snapshot(kind),
                        m.setup().operatorState().snapshot(), null, m.counters()));
            } catch (OperatorException e) {
                throw e;
            } catch (Exception | Error e) {
                throw new OperatorException(m.name(), e);
            }
        }
        for (ChannelWriter w : writers) {
            w.broadcastEvent(new ControlEvent.Barrier(checkpointId, kind));
        }
        try {
            long alignmentMillis = alignmentStartNanos == 0 ? 0 : (System.nanoTime() - alignmentStartNanos) / 1_000_000;
            alignmentStartNanos = 0;
            changeWritesInFlight(1);
            io.execute(() -> {
                try {
                    write(checkpointId, captured, alignmentMillis);
                } finally {
                    changeWritesInFlight(-1);
                }
            });
        } catch (RejectedExecutionException e) {
            changeWritesInFlight(-1);
            release(captured);
            responder.decline(key, checkpointId, "checkpoint I/O is shut down");
        }
    }

    private void changeWritesInFlight(int delta) {
        synchronized (writesInFlight) {
            writesInFlight[0] += delta;
            if (writesInFlight[0] == 0) {
                writesInFlight.notifyAll();
            }
        }
    }

    /** Frees the keyed captures that were not written (a capture written is released already). */
    private static void release(List<Captured> captured) {
        for (Captured c : captured) {
            if (c.keyed() != null) {
                c.keyed().release();
            }
        }
    }

    /**
     * Waits until every asynchronous part started so far has ended, at most {@code millis}; {@code false} on time-out.
     * A task that finished calls it before closing its state: its last checkpoints still read that state (a RocksDB
     * upload reads the local checkpoint the backend would delete), and the coordinator waits for their acknowledgements.
     */
    boolean awaitWrites(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (writesInFlight) {
            while (writesInFlight[0] > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                writesInFlight.wait(left);
            }
        }
        return true;
    }

    /** The bytes of an operator state snapshot's elements. */
    private static long operatorStateBytes(OperatorStateSnapshot operator) {
        long n = 0;
        if (operator != null) {
            for (OperatorStateSnapshot.Entry e : operator.states().values()) {
                for (byte[] element : e.elements()) {
                    n += element.length;
                }
            }
        }
        return n;
    }

    /**
     * The asynchronous part: serialize and write one file per operator, then acknowledge, then record each operator's
     * state size in its counters.
     */
    private void write(long checkpointId, List<Captured> captured, long alignmentMillis) {
        Optional<CheckpointWriter> writer = responder.writer(checkpointId);
        if (writer.isEmpty()) {
            release(captured);
            return; // aborted meanwhile
        }
        try {
            List<StateFileHandle> files = new ArrayList<>();
            CheckpointSnapshotFiles keyedFiles = new CheckpointSnapshotFiles(writer.get());
            long[] sizes = new long[captured.size()];
            for (int i = 0; i < captured.size(); i++) {
                Captured c = captured.get(i);
                KeyedStateSnapshot keyed = c.keyed() == null ? null : c.keyed().write(keyedFiles);
                sizes[i] = (keyed == null ? 0 : keyed.sizeBytes()) + operatorStateBytes(c.operator());
                byte[] bytes = new OperatorSubtaskState(c.uid(), subtask, parallelism, keyed, c.operator(), c.splits()).toBytes();
                files.add(writer.get().writeFile(OperatorSubtaskState.fileName(c.uid(), subtask), bytes));
            }
            files.addAll(keyedFiles.files());
            responder.acknowledge(key, checkpointId, files, alignmentMillis);
            for (int i = 0; i < captured.size(); i++) {
                if (captured.get(i).counters() != null) {
                    captured.get(i).counters().stateSizeBytes = sizes[i];
                }
            }
        } catch (Exception | Error e) {
            if (responder.writer(checkpointId).isEmpty()) {
                LOG.debug("{}: checkpoint {} was aborted while it was written", taskName, checkpointId, e);
                return;
            }
            LOG.warn("{}: writing checkpoint {} failed", taskName, checkpointId, e);
            responder.decline(key, checkpointId, taskName + ": " + e);
        } finally {
            release(captured);
        }
    }
}
