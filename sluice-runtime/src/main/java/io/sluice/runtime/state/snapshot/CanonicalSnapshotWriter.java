package io.sluice.runtime.state.snapshot;

import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotFileWriter;
import io.sluice.runtime.state.SnapshotKind;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Writes a keyed snapshot in the canonical format ({@link CanonicalFormat}), entry by entry, in key-group order: the
 * asynchronous part of a backend's snapshot calls {@link #startKeyGroup}, then per state {@link #startState} and its
 * {@link #entry entries}, per timer service {@link #startTimers} and its {@link #timer timers}, and finally
 * {@link #finish}. A checkpoint's blocks stay in memory; a savepoint's are streamed into a file, so a savepoint never
 * holds more than a buffer of the state. A key group without sections writes nothing.
 *
 * <p>A savepoint refuses sections whose serializers are not known and legacy sections (see {@link CanonicalFormat}):
 * everything in a savepoint can be restored by any backend, checked against the job's serializers.
 *
 * <p>Threading: one thread, the one writing the snapshot's asynchronous part. {@link #close()} after a failure
 * deletes a partial file (it does nothing once finished).
 */
public final class CanonicalSnapshotWriter implements AutoCloseable {
    private final SnapshotKind kind;
    private final KeyGroupRange range;
    private final BlockSink sink;
    /** The key group being written; -1 before the first. */
    private int keyGroup = -1;
    /** The current key group's block, once it has a section; else {@code null}. */
    private DataOutputStream block;
    private boolean inSection;
    private boolean timerSection;

    private CanonicalSnapshotWriter(SnapshotKind kind, KeyGroupRange range, BlockSink sink) {
        this.kind = kind;
        this.range = range;
        this.sink = sink;
    }

    /**
     * A writer for a snapshot of {@code kind} of the key groups {@code range}; a savepoint's file goes to
     * {@code files}.
     */
    public static CanonicalSnapshotWriter open(SnapshotKind kind, KeyGroupRange range, SnapshotFileWriter files)
            throws IOException {
        BlockSink sink = kind == SnapshotKind.SAVEPOINT ? FileBlocks.create(range, files) : new MemoryBlocks();
        return new CanonicalSnapshotWriter(kind, range, sink);
    }

    /** The next key group to write; key groups come in ascending order, each once, all in the range. */
    public void startKeyGroup(int next) throws IOException {
        if (!range.contains(next) || next <= keyGroup) {
            throw new IllegalArgumentException("key group " + next + " after " + keyGroup + " in range " + range);
        }
        endBlock();
        keyGroup = next;
    }

    /** Starts the current key group's section of a state; its entries follow. */
    public void startState(StateHeader header) throws IOException {
        startSection(header);
    }

    /** One entry of the current state section (bytes as {@link CanonicalFormat} says; copied, not kept). */
    public void entry(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength)
            throws IOException {
        startEntry(false);
        block.writeInt(keyLength);
        block.write(key, keyOffset, keyLength);
        block.writeInt(valueLength);
        block.write(value, valueOffset, valueLength);
    }

    /** Starts the current key group's section of a timer service; its timers follow. */
    public void startTimers(TimersHeader header) throws IOException {
        startSection(header);
    }

    /** One timer of the current timer section. */
    public void timer(byte domain, long time, byte[] key, int keyOffset, int keyLength) throws IOException {
        startEntry(true);
        block.writeByte(domain);
        block.writeLong(time);
        block.writeInt(keyLength);
        block.write(key, keyOffset, keyLength);
    }

    /** A restored section, passed on unchanged (its key group must be the current one). */
    public void section(RestoredSection restored) throws IOException {
        if (restored.keyGroup() != keyGroup) {
            throw new IllegalArgumentException("a section of key group " + restored.keyGroup() + " in key group " + keyGroup);
        }
        requireWritable(restored.header());
        header(restored.header());
        block.write(restored.body()); // ends with the section's end marker
    }

    /**
     * Restored bytes in a format older than the canonical one, passed on unchanged: {@code code} is
     * {@link CanonicalFormat#LEGACY_HEAP_STATE} or {@link CanonicalFormat#LEGACY_TIMERS}. Checkpoints only.
     *
     * @throws IOException for a savepoint, naming the state
     */
    public void legacySection(byte code, String name, byte[] bytes) throws IOException {
        if (kind == SnapshotKind.SAVEPOINT) {
            throw notConvertible((code == CanonicalFormat.LEGACY_TIMERS ? "timer service '" : "state '") + name + "'");
        }
        if (code != CanonicalFormat.LEGACY_HEAP_STATE && code != CanonicalFormat.LEGACY_TIMERS) {
            throw new IllegalArgumentException("not a legacy section code: " + code);
        }
        section(code);
        block.writeUTF(name);
        block.writeInt(bytes.length);
        block.write(bytes);
    }

    /** Ends the last block: the snapshot. */
    public KeyedStateSnapshot finish() throws IOException {
        endBlock();
        return sink.finish();
    }

    /** Frees an unfinished snapshot (deletes a savepoint's partial file); does nothing once finished. */
    @Override
    public void close() {
        sink.close();
    }

    private void startSection(SectionHeader header) throws IOException {
        requireWritable(header);
        header(header);
        inSection = true;
        timerSection = header instanceof TimersHeader;
    }

    /** Starts a section: its code and header. */
    private void header(SectionHeader header) throws IOException {
        switch (header) {
            case StateHeader h -> {
                section(CanonicalFormat.STATE);
                h.write(block);
            }
            case TimersHeader h -> {
                section(CanonicalFormat.TIMERS);
                h.write(block);
            }
        }
    }

    private void startEntry(boolean timer) throws IOException {
        if (!inSection || timerSection != timer) {
            throw new IllegalStateException((timer ? "a timer" : "an entry") + " outside a section of its kind");
        }
        block.writeByte(CanonicalFormat.ENTRY);
    }

    private void requireWritable(SectionHeader header) throws IOException {
        if (kind == SnapshotKind.SAVEPOINT && !header.serializersKnown()) {
            throw notConvertible(header.describe());
        }
    }

    private static IOException notConvertible(String what) {
        return new IOException("a savepoint cannot hold " + what + ": it was restored from a snapshot older than the "
                + "canonical format, which did not record its serializers, and the operator has not used it since. "
                + "Take the savepoint once the operator has used it, or from a job started from a newer snapshot");
    }

    private void section(byte code) throws IOException {
        if (keyGroup < 0) {
            throw new IllegalStateException("startKeyGroup first");
        }
        endSection();
        if (block == null) {
            block = sink.startBlock(keyGroup);
        }
        block.writeByte(code);
    }

    private void endSection() throws IOException {
        if (inSection) {
            block.writeByte(CanonicalFormat.END_OF_SECTION);
            inSection = false;
        }
    }

    private void endBlock() throws IOException {
        endSection();
        if (block != null) {
            block.writeByte(CanonicalFormat.END_OF_BLOCK);
            sink.endBlock();
            block = null;
        }
    }
}
