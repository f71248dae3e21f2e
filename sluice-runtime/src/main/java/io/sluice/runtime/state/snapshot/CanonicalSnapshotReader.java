package io.sluice.runtime.state.snapshot;

import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads keyed state in the canonical format ({@link CanonicalFormat}): a checkpoint's in-memory block, or the key
 * groups of a range out of a savepoint's file, handing each section to a {@link Visitor}. A savepoint file is read
 * front to back, skipping the blocks outside the range, and to its end, so that its checksum is verified. Task
 * thread (restores run before any state is used).
 */
public final class CanonicalSnapshotReader {

    /** What a restore does with each section; it may read the entries or not (the reader skips what is left). */
    public interface Visitor {
        void state(int keyGroup, StateHeader header, SectionEntries entries) throws IOException;

        void timers(int keyGroup, TimersHeader header, SectionEntries entries) throws IOException;

        /** A legacy section ({@link CanonicalFormat#LEGACY_HEAP_STATE} or {@link CanonicalFormat#LEGACY_TIMERS}). */
        void legacy(int keyGroup, byte code, String name, byte[] bytes) throws IOException;
    }

    private CanonicalSnapshotReader() {}

    /** Whether {@code block} is a canonical block (older formats' blocks start with a positive count). */
    public static boolean isCanonicalBlock(byte[] block) {
        return block.length >= 4 && ((block[0] & 0xFF) << 24 | (block[1] & 0xFF) << 16 | (block[2] & 0xFF) << 8
                | (block[3] & 0xFF)) == CanonicalFormat.BLOCK_MAGIC;
    }

    /** Whether {@code files} are a savepoint's canonical file. */
    public static boolean isCanonicalFile(KeyedStateFiles files) {
        return CanonicalFormat.FILE_FORMAT.equals(files.format());
    }

    /** Reads one in-memory block of {@code keyGroup}. */
    public static void readBlock(int keyGroup, byte[] block, Visitor visitor) throws IOException {
        try {
            readBlock(keyGroup, new DataInputStream(new ByteArrayInputStream(block)), visitor);
        } catch (IOException e) {
            throw new IOException("key group " + keyGroup + ": " + e.getMessage(), e);
        }
    }

    /** Reads the key groups of {@code range} out of a savepoint's file (readable: {@link KeyedStateFiles#reader()}). */
    public static void readFile(KeyedStateFiles files, KeyGroupRange range, Visitor visitor) throws IOException {
        if (!isCanonicalFile(files) || files.files().size() != 1) {
            throw new IOException("not a canonical key-group file: format '" + files.format() + "', " + files.files().size()
                    + " files");
        }
        if (files.reader() == null) {
            throw new IllegalStateException("the savepoint's files are not readable (no reader attached)");
        }
        long[][] index = index(files.meta());
        KeyedStateFiles.File file = files.files().getFirst();
        boolean any = false;
        for (long[] entry : index) {
            any |= range.contains((int) entry[0]);
        }
        if (!any) {
            return; // nothing of ours in it
        }
        int keyGroup = -1;
        try (Counting counted = new Counting(new BufferedInputStream(files.reader().open(file.handle()), 64 << 10))) {
            DataInputStream in = new DataInputStream(counted);
            if (in.readInt() != CanonicalFormat.FILE_MAGIC) {
                throw new IOException("not a canonical key-group file");
            }
            int version = in.readInt();
            if (version != CanonicalFormat.FILE_VERSION) {
                throw new IOException("unknown canonical file version " + version);
            }
            for (long[] entry : index) {
                keyGroup = (int) entry[0];
                if (!range.contains(keyGroup)) {
                    continue;
                }
                if (entry[1] < counted.count) {
                    throw new IOException("the index is not in file order");
                }
                in.skipNBytes(entry[1] - counted.count);
                int stored = in.readInt();
                if (stored != keyGroup) {
                    throw new IOException("the index points at key group " + stored);
                }
                readBlock(keyGroup, in, visitor);
            }
            keyGroup = -1;
            counted.transferTo(OutputStream.nullOutputStream()); // to the end: verifies size and checksum
        } catch (IOException e) {
            throw new IOException("savepoint file " + file.handle() + (keyGroup < 0 ? "" : ", key group " + keyGroup)
                    + ": " + e.getMessage(), e);
        }
    }

    private static long[][] index(byte[] meta) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(meta));
        int version = in.readInt();
        if (version != CanonicalFormat.META_VERSION) {
            throw new IOException("unknown canonical index version " + version);
        }
        int n = in.readInt();
        if (n < 0 || n > 1 << 16) {
            throw new IOException("damaged canonical index: " + n + " key groups");
        }
        long[][] index = new long[n][];
        for (int i = 0; i < n; i++) {
            index[i] = new long[] {in.readInt(), in.readLong()};
        }
        return index;
    }

    private static void readBlock(int keyGroup, DataInputStream in, Visitor visitor) throws IOException {
        if (in.readInt() != CanonicalFormat.BLOCK_MAGIC) {
            throw new IOException("not a canonical block");
        }
        while (true) {
            byte code = in.readByte();
            switch (code) {
                case CanonicalFormat.END_OF_BLOCK -> {
                    return;
                }
                case CanonicalFormat.STATE -> {
                    SectionEntries entries = new SectionEntries(in, false);
                    visitor.state(keyGroup, StateHeader.read(in), entries);
                    entries.skipRest();
                }
                case CanonicalFormat.TIMERS -> {
                    SectionEntries entries = new SectionEntries(in, true);
                    visitor.timers(keyGroup, TimersHeader.read(in), entries);
                    entries.skipRest();
                }
                case CanonicalFormat.LEGACY_HEAP_STATE, CanonicalFormat.LEGACY_TIMERS -> {
                    String name = in.readUTF();
                    visitor.legacy(keyGroup, code, name, SectionEntries.readBytes(in));
                }
                default -> throw new IOException("unknown section " + code);
            }
        }
    }

    /** Counts the bytes read through it, to skip to a block's offset. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
