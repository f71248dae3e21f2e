package io.sluice.runtime.task;

import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.state.SnapshotKind;
import java.util.TreeMap;

/**
 * The snapshot kinds of the checkpoints whose barriers reached a task's input and that are not yet triggered or
 * aborted, so that the checkpoint the aligner triggers is taken as the kind its barriers said (a savepoint or not).
 * The aligner itself deals in checkpoint ids only. Touched once per barrier, never per record. Task thread.
 */
final class BarrierKinds {
    private final TreeMap<Long, SnapshotKind> pending = new TreeMap<>();

    void onBarrier(ControlEvent.Barrier barrier) {
        pending.putIfAbsent(barrier.checkpointId(), barrier.kind());
    }

    /**
     * The kind of {@code checkpointId}, being triggered: forgotten with every older one (ids triggered only
     * increase, so those will never be).
     */
    SnapshotKind take(long checkpointId) {
        SnapshotKind kind = pending.get(checkpointId);
        if (kind == null) {
            throw new IllegalStateException("checkpoint " + checkpointId + " triggered without a barrier of it");
        }
        pending.headMap(checkpointId, true).clear();
        return kind;
    }

    /** {@code checkpointId} was aborted. */
    void forget(long checkpointId) {
        pending.remove(checkpointId);
    }
}
