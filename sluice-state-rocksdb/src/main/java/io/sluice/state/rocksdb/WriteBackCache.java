package io.sluice.state.rocksdb;

import io.sluice.runtime.hashing.OpenAddressing;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A bounded heap cache of RocksDB entries in front of the point-access columns (value, reducing and aggregating
 * state), written back to RocksDB only when evicted or {@linkplain #flush() flushed}. Each read, write and delete of
 * such state is otherwise one JNI call into RocksDB (about a microsecond); with the cache, a key read and written
 * again while it is hot costs a hash lookup, and an entry created and deleted between two flushes (a window's
 * accumulator, a pane) never reaches RocksDB at all.
 *
 * <p>What the cache holds are the stored bytes themselves (with their TTL header), so it changes nothing about what a
 * state handle sees: the cache is exactly "RocksDB with some writes not yet applied". Once the estimated size passes
 * the capacity, entries are evicted by the CLOCK policy (an entry used since the hand last passed gets a second
 * chance), dirty ones written back in bounded {@link WriteBatch}es. The backend flushes the cache before anything
 * reads the columns other than by point access: the synchronous part of a snapshot, TTL conversion, diagnostics. A
 * flushed entry stays cached, clean.
 *
 * <p>It also remembers absence: a read that finds nothing caches "absent", and an entry known never to have been
 * written to RocksDB is dropped on delete without a RocksDB delete.
 *
 * <p>Layout: an open-addressing table (linear probing, load at most 1/2, backward-shift deletion) over parallel
 * arrays, so an entry is just its key and value arrays, which the callers allocated anyway: no node, key or entry
 * objects for every young collection to copy (the first version, a {@code LinkedHashMap} with five objects per entry,
 * made G1 pauses and heap grow with the cache). Byte arrays passed in (keys and values) are kept, not copied: callers
 * hand over fresh arrays and never change them afterwards. Returned values must not be changed either. Task thread
 * only.
 */
final class WriteBackCache {
    /** RocksDB's point read, for misses. */
    interface Reader {
        byte[] get(ColumnFamilyHandle cf, byte[] key);
    }

    /** RocksDB's batched write, for write-backs. */
    interface Writer {
        void write(WriteBatch batch) throws RocksDBException;
    }

    /** Estimated heap bytes of one entry besides its key and value bytes: two array headers and two table slots. */
    static final int ENTRY_OVERHEAD = 72;

    private static final byte DIRTY = 1;
    /** RocksDB may hold a value for the key (it was read there, written back, or never asked). */
    private static final byte IN_ROCKSDB = 2;
    /** Used since the clock hand last passed. */
    private static final byte REFERENCED = 4;
    private static final int MIN_SLOTS = 64;

    private final Reader reader;
    private final Writer writer;
    private final long capacityBytes;
    private final long maxBatchBytes;

    private ColumnFamilyHandle[] columns = new ColumnFamilyHandle[MIN_SLOTS];
    /** {@code null}: a free slot. */
    private byte[][] keys = new byte[MIN_SLOTS][];
    /** {@code null}: the key is absent. */
    private byte[][] values = new byte[MIN_SLOTS][];
    private int[] hashes = new int[MIN_SLOTS];
    private byte[] flags = new byte[MIN_SLOTS];
    private int size;
    private int hand;

    private long sizeBytes;
    /** Set when a write-back failed: entries were marked clean or evicted before RocksDB took them. */
    private boolean broken;
    private long hits;
    private long misses;
    private long writtenBack;

    /** The batch size for a backend's memory split: 1/8 of one memtable, at least 16 KiB. */
    static long maxBatchBytes(MemorySplit split) {
        return Math.max(16L << 10, split.writeBufferSize() / 8);
    }

    /**
     * @param maxBatchBytes the most bytes of keys and values one write-back batch carries: well below one memtable,
     *                      since a batch larger than what the write buffer manager allows can stall RocksDB for good
     */
    WriteBackCache(Reader reader, Writer writer, long capacityBytes, long maxBatchBytes) {
        if (capacityBytes <= 0 || maxBatchBytes <= 0) {
            throw new IllegalArgumentException("the write cache capacity and batch size must be positive, were "
                    + capacityBytes + " and " + maxBatchBytes);
        }
        this.reader = reader;
        this.writer = writer;
        this.capacityBytes = capacityBytes;
        this.maxBatchBytes = maxBatchBytes;
    }

    /** The value at {@code key}, or {@code null} if there is none; a miss reads RocksDB and caches what it found. */
    byte[] get(ColumnFamilyHandle cf, byte[] key) {
        ensureUsable();
        int hash = hash(cf, key);
        int slot = find(cf, key, hash);
        if (slot >= 0) {
            hits++;
            flags[slot] |= REFERENCED;
            return values[slot];
        }
        misses++;
        byte[] value = reader.get(cf, key);
        insert(cf, key, hash, value, value != null ? IN_ROCKSDB : 0);
        return value;
    }

    void put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
        ensureUsable();
        int hash = hash(cf, key);
        int slot = find(cf, key, hash);
        if (slot < 0) {
            // not known: RocksDB may hold an older value, which the write-back will overwrite anyway
            insert(cf, key, hash, value, (byte) (DIRTY | IN_ROCKSDB));
            return;
        }
        sizeBytes += length(value) - length(values[slot]);
        values[slot] = value;
        flags[slot] |= DIRTY | REFERENCED;
        evictIfFull();
    }

    void delete(ColumnFamilyHandle cf, byte[] key) {
        ensureUsable();
        int hash = hash(cf, key);
        int slot = find(cf, key, hash);
        if (slot < 0) {
            insert(cf, key, hash, null, (byte) (DIRTY | IN_ROCKSDB));
            return;
        }
        sizeBytes -= length(values[slot]);
        values[slot] = null;
        // nothing to delete in RocksDB if this key never reached it: the entry is then a clean "absent"
        flags[slot] = (flags[slot] & IN_ROCKSDB) != 0 ? (byte) (flags[slot] | DIRTY | REFERENCED)
                : (byte) ((flags[slot] & ~DIRTY) | REFERENCED);
    }

    /** Writes every dirty entry back to RocksDB (in bounded batches); the entries stay cached, clean. */
    void flush() {
        ensureUsable();
        try (WriteBack out = new WriteBack()) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != null && (flags[i] & DIRTY) != 0) {
                    out.add(i);
                }
            }
        } catch (RocksDBException ex) {
            throw RocksDbKeyedStateBackend.failure(ex);
        }
    }

    /**
     * After a failed write-back some writes exist nowhere but in the lost batch, so the state is no longer what the
     * job wrote: every later use fails too, and the task recovers from its last checkpoint.
     */
    private void ensureUsable() {
        if (broken) {
            throw new IllegalStateException("a RocksDB write-back of the state cache failed earlier; the state is "
                    + "incomplete until the task restores from a checkpoint");
        }
    }

    /** Recomputes {@link #sizeBytes()} from the entries (tests: the running figure must never drift). */
    long recomputedSizeBytes() {
        long total = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                total += ENTRY_OVERHEAD + keys[i].length + length(values[i]);
            }
        }
        return total;
    }

    /** Forgets every entry without writing anything back (the database is being replaced or closed). */
    void discard() {
        Arrays.fill(columns, null);
        Arrays.fill(keys, null);
        Arrays.fill(values, null);
        size = 0;
        sizeBytes = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The estimated heap bytes of the cached entries; at most the capacity between calls. */
    long sizeBytes() {
        return sizeBytes;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    /** Entries written back to RocksDB so far (evictions and flushes). */
    long writtenBack() {
        return writtenBack;
    }

    private int find(ColumnFamilyHandle cf, byte[] key, int hash) {
        int mask = keys.length - 1;
        for (int i = OpenAddressing.home(hash, mask); keys[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && columns[i] == cf && Arrays.equals(keys[i], key)) {
                return i;
            }
        }
        return -1;
    }

    private void insert(ColumnFamilyHandle cf, byte[] key, int hash, byte[] value, int flag) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = OpenAddressing.home(hash, mask);
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        columns[i] = cf;
        keys[i] = key;
        values[i] = value;
        hashes[i] = hash;
        flags[i] = (byte) (flag | REFERENCED);
        size++;
        sizeBytes += ENTRY_OVERHEAD + key.length + length(value);
        evictIfFull();
    }

    /**
     * Evicts entries down to 7/8 of the capacity, so evictions come in batches: the clock hand sweeps the table,
     * giving entries used since its last pass a second chance and evicting the others.
     */
    private void evictIfFull() {
        if (sizeBytes <= capacityBytes) {
            return;
        }
        long target = capacityBytes - capacityBytes / 8;
        try (WriteBack out = new WriteBack()) {
            while (sizeBytes > target && size > 0) {
                int i = hand;
                if (keys[i] == null) {
                    hand = (i + 1) & (keys.length - 1);
                } else if ((flags[i] & REFERENCED) != 0) {
                    flags[i] &= ~REFERENCED;
                    hand = (i + 1) & (keys.length - 1);
                } else {
                    if ((flags[i] & DIRTY) != 0) {
                        out.add(i);
                    }
                    removeAt(i); // the hand stays: a later entry may have moved into slot i
                }
            }
        } catch (RocksDBException ex) {
            throw RocksDbKeyedStateBackend.failure(ex);
        }
    }

    /** Dirty entries on their way to RocksDB: written whenever a batch reaches {@link #maxBatchBytes}, and on close. */
    private final class WriteBack implements AutoCloseable {
        private WriteBatch batch;
        private long bytes;

        /** Writes slot {@code i}'s entry back (a put, or a delete when absent) and marks it clean. */
        void add(int i) throws RocksDBException {
            if (batch == null) {
                batch = new WriteBatch();
            }
            if (values[i] == null) {
                batch.delete(columns[i], keys[i]);
                flags[i] &= ~IN_ROCKSDB;
            } else {
                batch.put(columns[i], keys[i], values[i]);
                flags[i] |= IN_ROCKSDB;
            }
            flags[i] &= ~DIRTY;
            writtenBack++;
            bytes += keys[i].length + length(values[i]);
            if (bytes >= maxBatchBytes) {
                write();
            }
        }

        private void write() throws RocksDBException {
            try (WriteBatch full = batch) {
                batch = null;
                bytes = 0;
                writer.write(full);
            } catch (RocksDBException | RuntimeException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void close() throws RocksDBException {
            if (batch != null) {
                write();
            }
        }
    }

    /** Empties slot {@code slot}, shifting later entries of its probe run back so lookups still find them. */
    private void removeAt(int slot) {
        sizeBytes -= ENTRY_OVERHEAD + keys[slot].length + length(values[slot]);
        size--;
        int mask = keys.length - 1;
        int gap = slot;
        for (int i = (slot + 1) & mask; keys[i] != null; i = (i + 1) & mask) {
            int home = OpenAddressing.home(hashes[i], mask);
            // Move entry i into the gap if the gap lies on its probe path (between its home and i, cyclically).
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                move(i, gap);
                gap = i;
            }
        }
        columns[gap] = null;
        keys[gap] = null;
        values[gap] = null;
        flags[gap] = 0;
    }

    private void move(int from, int to) {
        columns[to] = columns[from];
        keys[to] = keys[from];
        values[to] = values[from];
        hashes[to] = hashes[from];
        flags[to] = flags[from];
    }

    private void grow() {
        ColumnFamilyHandle[] oldColumns = columns;
        byte[][] oldKeys = keys;
        byte[][] oldValues = values;
        int[] oldHashes = hashes;
        byte[] oldFlags = flags;
        int n = oldKeys.length * 2;
        columns = new ColumnFamilyHandle[n];
        keys = new byte[n][];
        values = new byte[n][];
        hashes = new int[n];
        flags = new byte[n];
        int mask = n - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = OpenAddressing.home(oldHashes[j], mask);
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                columns[i] = oldColumns[j];
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
                hashes[i] = oldHashes[j];
                flags[i] = oldFlags[j];
            }
        }
        hand = 0;
    }

    private static int hash(ColumnFamilyHandle cf, byte[] key) {
        return 31 * System.identityHashCode(cf) + Arrays.hashCode(key);
    }

    private static int length(byte[] value) {
        return value == null ? 0 : value.length;
    }
}
