/**
 * Checkpoint storage: where checkpoints are written, how a checkpoint becomes complete, how it is read back and
 * verified, and which checkpoints are kept.
 *
 * <h2>Parts</h2>
 * <ul>
 *   <li>{@link io.sluice.runtime.checkpoint.storage.CheckpointStorage} — begin a checkpoint, list, open, discard.
 *       {@link io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage} implements it on a local or shared
 *       file system; object stores later.</li>
 *   <li>{@link io.sluice.runtime.checkpoint.storage.CheckpointWriter} — writes one checkpoint's state files
 *       (streams or byte arrays, CRC32C computed while writing) and completes or aborts it.</li>
 *   <li>{@link io.sluice.runtime.checkpoint.storage.CompletedCheckpoint} — a complete checkpoint's metadata and its
 *       files, verified as they are read.</li>
 *   <li>{@link io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore} — retains the last K (default 3),
 *       deletes older ones, reference-counts shared files, cleans up after crashes.</li>
 * </ul>
 *
 * <h2>On-disk layout ({@code FileSystemCheckpointStorage})</h2>
 * <pre>
 * ROOT/
 *   chk-000041/            one directory per checkpoint, id zero-padded to at least 6 digits
 *     _metadata            written last: the checkpoint is complete iff this file exists
 *     op-1-kg-0-63         private state files (names chosen by the caller: [A-Za-z0-9._-], no leading '.' or '_')
 *     ...
 *   chk-000042/
 *     _metadata.tmp        only while (or if a crash cut off while) the metadata is being written
 *     ...
 *   shared/                files named by several checkpoints (incremental RocksDB snapshots), immutable
 *     000123.sst
 * </pre>
 * The metadata file ({@code MetadataFormat}) holds a magic number, a format version, the checkpoint id, every file
 * the checkpoint names (scope private or shared, name, size, CRC32C), the coordinator's opaque payload (which
 * operator and subtask own which files), and a CRC32C over all of it. Private names resolve in the checkpoint's
 * directory, shared names in {@code shared/} beside it, so a checkpoint directory plus {@code shared/} can be moved
 * together and opened by path.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Complete means durable.</b> Each state file is fsynced when its stream is closed. {@code complete} then
 *       fsyncs the checkpoint directory (and {@code shared/} if it created shared files), writes
 *       {@code _metadata.tmp}, fsyncs it, renames it atomically to {@code _metadata} and fsyncs the directory.</li>
 *   <li><b>Torn checkpoints are never used.</b> A checkpoint without {@code _metadata} is not listed, not opened and
 *       not "latest"; {@code begin} of the same id and {@link io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore#open}
 *       delete it.</li>
 *   <li><b>Corruption is an error naming the checkpoint id and the file, never a fallback.</b> Opening verifies the
 *       metadata's checksum (and that it names the expected id); reading a file verifies its size (on open) and its
 *       checksum (at its end). A missing, unreadable, truncated, extended or altered file throws
 *       {@link io.sluice.runtime.checkpoint.storage.CorruptCheckpointException}. {@code latestCompletedId} stays the
 *       newest complete checkpoint even when it is corrupt: the caller decides.</li>
 *   <li><b>Retained checkpoints never lose a file.</b> A shared file is deleted only when no retained checkpoint
 *       names it; counts are rebuilt from the retained metadata on open, so they survive a crash. A checkpoint is
 *       deleted metadata first (fsynced), then private files, then shared files whose count dropped to zero; a crash
 *       in between leaves a torn checkpoint or an unreferenced shared file, both deleted by the next open.</li>
 *   <li><b>A failed checkpoint leaves the storage usable.</b> A write error (disk full, I/O error) throws
 *       {@link io.sluice.runtime.checkpoint.storage.CheckpointWriteException} naming the checkpoint id and the file,
 *       deletes the partial file; abort (or a failed {@code complete}) deletes the checkpoint's files. The next
 *       checkpoint writes as usual.</li>
 *   <li><b>Names cannot escape.</b> State file names are single path elements from a small alphabet, checked when
 *       written and again when read from metadata.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Everything here is thread-safe. Writers of different checkpoints run on different threads at once (asynchronous
 * snapshot uploads), and so may files of one checkpoint; each stream is used by one thread at a time. Completion goes
 * through {@link io.sluice.runtime.checkpoint.storage.CompletedCheckpointStore#complete}, which serializes it with
 * retention so no deletion falls between writing a checkpoint's metadata and counting its references.
 *
 * <h2>Limits</h2>
 * POSIX file-system semantics are assumed (fsync of a directory, atomic rename). A shared file referenced by a
 * pending checkpoint is protected only by being named by a retained checkpoint: reference files of retained
 * checkpoints only; if one disappears anyway, completing the referencing checkpoint fails instead of producing a
 * complete checkpoint with a missing file. Contents of referenced shared files are verified when read, not when
 * referenced.
 */
package io.sluice.runtime.checkpoint.storage;
