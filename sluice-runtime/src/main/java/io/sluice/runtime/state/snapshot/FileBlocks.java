package io.sluice.runtime.state.snapshot;

import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.checkpoint.storage.StateFileOutputStream;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.SnapshotFileWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Blocks streamed into one private file of the checkpoint being written (a savepoint's keyed state), so that no more
 * than a buffer of it is in memory; the offset of each block goes into an index, the snapshot's small meta bytes.
 */
final class FileBlocks implements BlockSink {
    private final KeyGroupRange range;
    private final StateFileOutputStream file;
    private final Counting counted;
    private final DataOutputStream out;
    private final List<long[]> index = new ArrayList<>();
    private boolean finished;

    private FileBlocks(KeyGroupRange range, StateFileOutputStream file) {
        this.range = range;
        this.file = file;
        this.counted = new Counting(new BufferedOutputStream(file, 64 << 10));
        this.out = new DataOutputStream(counted);
    }

    /** A sink writing a new file into {@code files}; its name is random, so subtasks and retries never collide. */
    static FileBlocks create(KeyGroupRange range, SnapshotFileWriter files) throws IOException {
        StateFileOutputStream file = files.createPrivate("keyed-" + UUID.randomUUID() + ".kgs");
        FileBlocks sink = new FileBlocks(range, file);
        try {
            sink.out.writeInt(CanonicalFormat.FILE_MAGIC);
            sink.out.writeInt(CanonicalFormat.FILE_VERSION);
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
        return sink;
    }

    @Override
    public DataOutputStream startBlock(int keyGroup) throws IOException {
        index.add(new long[] {keyGroup, counted.count});
        out.writeInt(keyGroup);
        out.writeInt(CanonicalFormat.BLOCK_MAGIC);
        return out;
    }

    @Override
    public void endBlock() {}

    @Override
    public KeyedStateSnapshot finish() throws IOException {
        out.flush();
        StateFileHandle handle = file.closeAndGetHandle();
        finished = true;
        ByteArrayOutputStream meta = new ByteArrayOutputStream(8 + index.size() * 12);
        DataOutputStream m = new DataOutputStream(meta);
        m.writeInt(CanonicalFormat.META_VERSION);
        m.writeInt(index.size());
        for (long[] entry : index) {
            m.writeInt((int) entry[0]);
            m.writeLong(entry[1]);
        }
        return KeyedStateSnapshot.ofFiles(new KeyedStateFiles(CanonicalFormat.FILE_FORMAT, range,
                List.of(new KeyedStateFiles.File(CanonicalFormat.FILE_LOCAL_NAME, handle)), meta.toByteArray(), null));
    }

    @Override
    public void close() {
        if (!finished) {
            finished = true;
            file.close(); // discards the partial file
        }
    }

    /** Counts the bytes written through it (a {@code long}: files may pass 2 GiB). */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
