package io.sluice.runtime.state;

import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.timer.TimerQueues;
import java.io.IOException;
import java.util.Collection;

/**
 * Keyed state of one operator in one subtask, stored by key group. The operator sets the current key before it calls
 * user code; state handles read and write the current key's entry. Task thread only, except the asynchronous part of
 * a snapshot ({@link PendingSnapshot#write(SnapshotFileWriter)}), which may run on any thread.
 *
 * <p>This is the seam for other backends (RocksDB) and for checkpoints: user code sees only the API's state
 * interfaces, never the backend.
 */
public interface KeyedStateBackend extends AutoCloseable {

    /** Makes {@code key} the current key; its key group must lie in this backend's range. */
    void setCurrentKey(Object key);

    Object currentKey();

    KeyGroupRange keyGroupRange();

    /** The state named by {@code descriptor} in the void namespace; the same handle for the same name. */
    <S extends State> S getState(StateDescriptor<S> descriptor);

    /**
     * The state named by {@code descriptor}, scoped to a namespace the caller sets through
     * {@link InternalKeyedState#setCurrentNamespace} (the returned handle implements it).
     */
    <S extends State> S getNamespacedState(StateDescriptor<S> descriptor, TypeSerializer<?> namespaceSerializer);

    /** The timers of the timer service {@code name}; created on first use, restored if a snapshot held them. */
    TimerQueues timerQueues(String name, TypeSerializer<?> namespaceSerializer);

    /**
     * The synchronous part of a snapshot: captures the state as it is now, cheaply (copy-on-write), so processing
     * continues at once. The returned writer serializes it later, on any thread.
     *
     * <p>{@code kind} decides the format. A {@link SnapshotKind#SAVEPOINT} is always written in the canonical format
     * of {@code io.sluice.runtime.state.snapshot}, streamed into a private file of the savepoint, so that any backend
     * restores it at any parallelism; it fails if some state's serializers are not known (a state restored from a
     * snapshot older than that format and not registered since). A {@link SnapshotKind#CHECKPOINT} is written as the
     * backend does best: the canonical key-group blocks, or a backend's native files (incremental RocksDB).
     */
    PendingSnapshot snapshot(SnapshotKind kind);

    /** A {@link SnapshotKind#CHECKPOINT checkpoint}'s snapshot. */
    default PendingSnapshot snapshot() {
        return snapshot(SnapshotKind.CHECKPOINT);
    }

    /**
     * Loads the key groups of this backend's range from {@code snapshots}; call before any state is used. Every
     * backend reads the canonical format (blocks and savepoint files) and its own older formats. A snapshot in a
     * format this backend does not read ({@link KeyedStateSnapshot#files()}) fails naming the format.
     *
     * <p>Restored state is checked against the job when the operator registers it: a state (or timer service) whose
     * kind or serializers ({@link io.sluice.api.types.TypeSerializer#identity()}) differ from what the snapshot
     * recorded fails then, naming the state, the backend's {@link StateOwner} and both serializers.
     */
    void restore(Collection<KeyedStateSnapshot> snapshots) throws IOException;

    /**
     * Fails, naming what is wrong (a missing file, an unknown format), if {@code snapshot} could not be restored by
     * this backend, without restoring anything: the runtime checks each old subtask's state this way first, so the
     * error can name checkpoint, operator and subtask. A backend reading only key-group blocks accepts everything.
     */
    default void checkRestorable(KeyedStateSnapshot snapshot) throws IOException {}

    /**
     * Checkpoint {@code checkpointId} completed: an incremental backend may name the files it wrote for it in later
     * checkpoints instead of writing them again. Task thread.
     */
    default void notifyCheckpointComplete(long checkpointId) {}

    @Override
    default void close() {}

    /** A captured state, not yet serialized. */
    @FunctionalInterface
    interface PendingSnapshot {
        /**
         * Serializes the captured state: the asynchronous part. May run on any thread, once. Files the snapshot
         * consists of (incremental snapshots) go to {@code files}.
         */
        KeyedStateSnapshot write(SnapshotFileWriter files) throws IOException;

        /** {@link #write(SnapshotFileWriter)} for snapshots that are all bytes (heap, full RocksDB snapshots). */
        default KeyedStateSnapshot write() throws IOException {
            return write(SnapshotFileWriter.NONE);
        }

        /**
         * The capture will not be written (its checkpoint was aborted, or writing an earlier part failed): frees what
         * it holds. A heap capture shares the backend's values, which the task thread copies before changing them
         * while a capture is pending, so an unreleased one costs copies, never correctness. {@link #write} releases
         * too. Any thread; once is enough, more calls do nothing.
         */
        default void release() {}
    }
}
