package io.sluice.runtime.state;

/**
 * Why a snapshot is taken, which decides its format. Carried from the trigger (the coordinator) on the barrier to
 * every task and into {@link KeyedStateBackend#snapshot(SnapshotKind)}.
 */
public enum SnapshotKind {
    /**
     * A periodic checkpoint, for failover within the same job: each backend writes what it does best (RocksDB:
     * incremental native files when enabled; otherwise the canonical key-group blocks, kept in the operator's state
     * file).
     */
    CHECKPOINT,
    /**
     * A savepoint, to start the job again later, possibly with another state backend or parallelism: always the
     * canonical format (see {@code io.sluice.runtime.state.snapshot}), streamed into a file of its own, never a
     * backend's native files.
     */
    SAVEPOINT
}
