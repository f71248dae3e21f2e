/**
 * The canonical format of keyed state, which every keyed state backend writes and reads: savepoints always, and
 * checkpoints that are not a backend's native files. A snapshot in it restores into any backend at any parallelism.
 *
 * <p>State is grouped by key group; per key group, per state, a section names the state, its kind and the identities
 * of its serializers ({@link io.sluice.api.types.SerializerIdentity}), then lists its entries as bytes. The byte
 * layout is in {@link io.sluice.runtime.state.snapshot.CanonicalFormat}. Backends write through
 * {@link io.sluice.runtime.state.snapshot.CanonicalSnapshotWriter} (key-group blocks kept in memory for a checkpoint,
 * a streamed file for a savepoint) and read through {@link io.sluice.runtime.state.snapshot.CanonicalSnapshotReader};
 * {@link io.sluice.runtime.state.snapshot.SerializerCheck} compares recorded and declared serializers on restore.
 */
package io.sluice.runtime.state.snapshot;
