package io.sluice.state.rocksdb;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * state handle sees: the cache is exactly "RocksDB with some writes not yet applied". Entries are evicted least
 * recently used first, dirty ones written back in one {@link WriteBatch}, once the estimated size passes the
 * capacity. The backend flushes the cache before anything reads the columns other than by point access: the
 * synchronous part of a snapshot, TTL conversion, diagnostics. A flushed entry stays cached, clean.
 *
 * <p>It also remembers absence: a read that finds nothing caches "absent", and an entry known never to have been
 * written to RocksDB is dropped on delete without a RocksDB delete.
 *
 * <p>Byte arrays passed in (keys and values) are kept, not copied: callers hand over fresh arrays and never change
 * them afterwards. Returned values must not be changed either. Task thread only.
 */
final class WriteBackCache {
    /** What RocksDB does for the cache: point reads and batched writes. */
    interface Store {
        byte[] get(ColumnFamilyHandle cf, byte[] key);

        void write(WriteBatch batch) throws RocksDBException;
    }

    /** Estimated heap bytes of one entry besides its key and value (map node, key, entry objects, array headers). */
    static final int ENTRY_OVERHEAD = 120;

    private final Store store;
    private final long capacityBytes;
    private final long maxBatchBytes;
    /** Access order: the eldest entry is the least recently used one. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    /** The lookup key, reused: a miss allocates the key it inserts. */
    private final Key probe = new Key(null, null);
    private long sizeBytes;
    private long hits;
    private long misses;
    private long writtenBack;

    /**
     * @param maxBatchBytes the most bytes of keys and values one write-back batch carries: well below one memtable,
     *                      since a batch larger than what the write buffer manager allows can stall RocksDB for good
     */
    WriteBackCache(Store store, long capacityBytes, long maxBatchBytes) {
        if (capacityBytes <= 0 || maxBatchBytes <= 0) {
            throw new IllegalArgumentException("the write cache capacity and batch size must be positive, were "
                    + capacityBytes + " and " + maxBatchBytes);
        }
        this.store = store;
        this.capacityBytes = capacityBytes;
        this.maxBatchBytes = maxBatchBytes;
    }

    /** The value at {@code key}, or {@code null} if there is none; a miss reads RocksDB and caches what it found. */
    byte[] get(ColumnFamilyHandle cf, byte[] key) {
        Entry e = entries.get(probe.set(cf, key));
        if (e != null) {
            hits++;
            return e.value;
        }
        misses++;
        byte[] value = store.get(cf, key);
        insert(cf, key, new Entry(value, false, value != null));
        return value;
    }

    void put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
        Entry e = entries.get(probe.set(cf, key));
        if (e == null) {
            // not known: RocksDB may hold an older value, which the write-back will overwrite anyway
            insert(cf, key, new Entry(value, true, true));
            return;
        }
        sizeBytes += length(value) - length(e.value);
        e.value = value;
        e.dirty = true;
        evictIfFull();
    }

    void delete(ColumnFamilyHandle cf, byte[] key) {
        Entry e = entries.get(probe.set(cf, key));
        if (e == null) {
            insert(cf, key, new Entry(null, true, true));
            return;
        }
        sizeBytes -= length(e.value);
        e.value = null;
        // nothing to delete in RocksDB if this key never reached it: the entry is then a clean "absent"
        e.dirty = e.inRocksDb;
    }

    /** Writes every dirty entry back to RocksDB (in bounded batches); the entries stay cached, clean. */
    void flush() {
        try (WriteBack out = new WriteBack()) {
            for (var mapping : entries.entrySet()) {
                if (mapping.getValue().dirty) {
                    out.add(mapping.getKey(), mapping.getValue());
                }
            }
        } catch (RocksDBException ex) {
            throw RocksDbKeyedStateBackend.failure(ex);
        }
    }

    /** Forgets every entry without writing anything back (the database is being replaced or closed). */
    void discard() {
        entries.clear();
        sizeBytes = 0;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
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

    private void insert(ColumnFamilyHandle cf, byte[] key, Entry e) {
        entries.put(new Key(cf, key), e);
        sizeBytes += ENTRY_OVERHEAD + key.length + length(e.value);
        evictIfFull();
    }

    /** Evicts the least recently used entries down to 7/8 of the capacity, so evictions come in batches. */
    private void evictIfFull() {
        if (sizeBytes <= capacityBytes) {
            return;
        }
        long target = capacityBytes - capacityBytes / 8;
        try (WriteBack out = new WriteBack()) {
            Iterator<java.util.Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
            while (sizeBytes > target && it.hasNext()) {
                var mapping = it.next();
                Entry e = mapping.getValue();
                if (e.dirty) {
                    out.add(mapping.getKey(), e);
                }
                sizeBytes -= ENTRY_OVERHEAD + mapping.getKey().bytes.length + length(e.value);
                it.remove();
            }
        } catch (RocksDBException ex) {
            throw RocksDbKeyedStateBackend.failure(ex);
        }
    }

    /** Dirty entries on their way to RocksDB: written whenever a batch reaches {@link #maxBatchBytes}, and on close. */
    private final class WriteBack implements AutoCloseable {
        private WriteBatch batch;
        private long bytes;

        void add(Key key, Entry e) throws RocksDBException {
            if (batch == null) {
                batch = new WriteBatch();
            }
            if (e.value == null) {
                batch.delete(key.cf, key.bytes);
                e.inRocksDb = false;
            } else {
                batch.put(key.cf, key.bytes, e.value);
                e.inRocksDb = true;
            }
            e.dirty = false;
            writtenBack++;
            bytes += key.bytes.length + length(e.value);
            if (bytes >= maxBatchBytes) {
                write();
            }
        }

        private void write() throws RocksDBException {
            try (WriteBatch full = batch) {
                batch = null;
                bytes = 0;
                store.write(full);
            }
        }

        @Override
        public void close() throws RocksDBException {
            if (batch != null) {
                write();
            }
        }
    }

    private static int length(byte[] value) {
        return value == null ? 0 : value.length;
    }

    /** A column and a RocksDB key; the hash is computed once. */
    private static final class Key {
        ColumnFamilyHandle cf;
        byte[] bytes;
        int hash;

        Key(ColumnFamilyHandle cf, byte[] bytes) {
            if (bytes != null) {
                set(cf, bytes);
            }
        }

        Key set(ColumnFamilyHandle cf, byte[] bytes) {
            this.cf = cf;
            this.bytes = bytes;
            this.hash = 31 * System.identityHashCode(cf) + Arrays.hashCode(bytes);
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.cf == cf && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }
    }

    /** The cached value ({@code null}: absent), whether RocksDB lacks this write, and whether RocksDB may hold a value. */
    private static final class Entry {
        byte[] value;
        boolean dirty;
        boolean inRocksDb;

        Entry(byte[] value, boolean dirty, boolean inRocksDb) {
            this.value = value;
            this.dirty = dirty;
            this.inRocksDb = inRocksDb;
        }
    }
}
