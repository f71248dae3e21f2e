package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The write-back cache over a real RocksDB against a map oracle: whatever the cache size and the mix of reads, writes,
 * deletes and flushes, reads see the oracle, and after a flush RocksDB alone holds exactly the oracle.
 */
class WriteBackCacheTest {
    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path dir;
    private DBOptions options;
    private RocksDB db;
    private final List<ColumnFamilyHandle> columns = new ArrayList<>();
    private final WriteOptions writeOptions = new WriteOptions();
    private int reads;
    private int batches;

    private final WriteBackCache.Reader reader = (cf, key) -> {
        reads++;
        try {
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw new AssertionError(e);
        }
    };
    private final WriteBackCache.Writer writer = batch -> {
        batches++;
        db.write(writeOptions, batch);
    };

    @BeforeEach
    void open() throws Exception {
        options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        List<ColumnFamilyDescriptor> descriptors = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                new ColumnFamilyDescriptor("a".getBytes(StandardCharsets.UTF_8)),
                new ColumnFamilyDescriptor("b".getBytes(StandardCharsets.UTF_8)));
        db = RocksDB.open(options, dir.toString(), descriptors, columns);
    }

    @AfterEach
    void close() {
        columns.forEach(ColumnFamilyHandle::close);
        db.close();
        options.close();
        writeOptions.close();
    }

    @Test
    void randomOperationsMatchAMapAtEveryCacheSize() throws Exception {
        for (long seed = 1; seed <= 12; seed++) {
            long capacity = switch ((int) (seed % 4)) {
                case 0 -> 300; // about two entries: every insert evicts
                case 1 -> 2_000;
                case 2 -> 20_000;
                default -> 1L << 30; // never evicts: only flushes write
            };
            try {
                runRandom(seed, capacity);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " capacity " + capacity + ": " + e.getMessage(), e);
            }
        }
    }

    private void runRandom(long seed, long capacity) throws Exception {
        clear();
        Random random = new Random(seed);
        WriteBackCache cache = new WriteBackCache(reader, writer, capacity, seed % 3 == 0 ? 16 : 4096); // 16: a batch per entry
        Map<String, String> oracle = new HashMap<>();
        // some entries are already in RocksDB before the cache sees them
        for (int i = 0; i < 20; i++) {
            int c = random.nextInt(2);
            String k = "k" + random.nextInt(60);
            db.put(columns.get(1 + c), bytes(k), bytes("old" + i));
            oracle.put(c + ":" + k, "old" + i);
        }
        for (int step = 0; step < 3_000; step++) {
            int c = random.nextInt(2);
            ColumnFamilyHandle cf = columns.get(1 + c);
            String k = "k" + random.nextInt(60);
            String id = c + ":" + k;
            int op = random.nextInt(20);
            if (op < 8) {
                assertEquals(oracle.get(id), string(cache.get(cf, bytes(k))), "read of " + id + " at step " + step);
            } else if (op < 15) {
                String v = "v" + step;
                cache.put(cf, bytes(k), bytes(v));
                oracle.put(id, v);
            } else if (op < 19) {
                cache.delete(cf, bytes(k));
                oracle.remove(id);
            } else {
                cache.flush();
                assertEquals(oracle, rocksDbContents(), "RocksDB after a flush at step " + step);
            }
            assertTrue(cache.sizeBytes() <= capacity, "cache size " + cache.sizeBytes() + " over " + capacity);
            assertEquals(cache.recomputedSizeBytes(), cache.sizeBytes(), "size accounting at step " + step);
        }
        cache.flush();
        assertEquals(oracle, rocksDbContents());
    }

    @Test
    void anEntryCreatedAndDeletedBetweenFlushesNeverReachesRocksDb() throws Exception {
        WriteBackCache cache = new WriteBackCache(reader, writer, 1L << 20, 4096);
        ColumnFamilyHandle cf = columns.get(1);
        for (int i = 0; i < 100; i++) {
            byte[] key = bytes("pane" + i);
            assertNull(cache.get(cf, key)); // absent: one RocksDB read
            cache.put(cf, key, bytes("1"));
            cache.put(cf, key, bytes("2"));
            assertArrayEquals(bytes("2"), cache.get(cf, key));
            cache.delete(cf, key);
        }
        cache.flush();
        assertEquals(100, reads);
        assertEquals(0, batches, "nothing to write: every entry was created and deleted in the cache");
        assertEquals(0, cache.writtenBack());
        assertEquals(Map.of(), rocksDbContents());
        assertEquals(100, cache.size(), "absent entries stay cached, clean");
    }

    @Test
    void aDeleteOfAKeyRocksDbMayHoldIsWrittenBack() throws Exception {
        ColumnFamilyHandle cf = columns.get(1);
        db.put(cf, bytes("x"), bytes("stored"));
        WriteBackCache cache = new WriteBackCache(reader, writer, 1L << 20, 4096);
        cache.delete(cf, bytes("x")); // blind: the cache does not know whether RocksDB holds x
        assertNull(cache.get(cf, bytes("x")));
        cache.flush();
        assertEquals(Map.of(), rocksDbContents());
        assertEquals(0, reads, "the cached delete answered the read");
    }

    @Test
    void repeatedAccessToAHotKeyIsServedFromTheHeap() {
        WriteBackCache cache = new WriteBackCache(reader, writer, 1L << 20, 4096);
        ColumnFamilyHandle cf = columns.get(2);
        for (int i = 0; i < 1_000; i++) {
            byte[] stored = cache.get(cf, bytes("hot"));
            int n = stored == null ? 0 : Integer.parseInt(string(stored));
            cache.put(cf, bytes("hot"), bytes(Integer.toString(n + 1)));
        }
        assertEquals(1, reads);
        assertEquals(1, cache.misses());
        assertEquals(999, cache.hits());
        assertEquals("1000", string(cache.get(cf, bytes("hot"))));
    }

    @Test
    void aFailedWriteBackMakesEveryLaterUseFail() {
        WriteBackCache.Writer failing = batch -> {
            throw new RocksDBException("disk full");
        };
        WriteBackCache cache = new WriteBackCache((cf, key) -> null, failing, 1L << 20, 4096);
        ColumnFamilyHandle cf = columns.get(1);
        cache.put(cf, bytes("a"), bytes("1"));
        IllegalStateException flush = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                cache::flush);
        assertTrue(flush.getMessage().contains("disk full"), flush.getMessage());
        // the put is in no store now: reading "a" must not pretend otherwise
        IllegalStateException read = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> cache.get(cf, bytes("a")));
        assertTrue(read.getMessage().contains("restores from a checkpoint"), read.getMessage());
    }

    @Test
    void collidingKeysAcrossTheTableEndStayFindableThroughRemovals() throws Exception {
        // Many keys in a small table: probe runs wrap around the end, and evictions shift entries back across it.
        Random random = new Random(99);
        WriteBackCache cache = new WriteBackCache(reader, writer, 40 * (WriteBackCache.ENTRY_OVERHEAD + 8), 64);
        Map<String, String> oracle = new HashMap<>();
        ColumnFamilyHandle cf = columns.get(1);
        for (int step = 0; step < 20_000; step++) {
            String k = "k" + random.nextInt(200);
            if (random.nextBoolean()) {
                cache.put(cf, bytes(k), bytes("v" + step));
                oracle.put(k, "v" + step);
            } else {
                assertEquals(oracle.get(k), string(cache.get(cf, bytes(k))), "step " + step);
            }
            assertEquals(cache.recomputedSizeBytes(), cache.sizeBytes(), "step " + step);
        }
        cache.flush();
        Map<String, String> expected = new HashMap<>();
        oracle.forEach((k, v) -> expected.put("0:" + k, v));
        assertEquals(expected, rocksDbContents());
    }

    private void clear() throws RocksDBException {
        for (ColumnFamilyHandle cf : columns.subList(1, 3)) {
            db.deleteRange(cf, new byte[0], new byte[] {(byte) 0xff, (byte) 0xff});
        }
        reads = 0;
        batches = 0;
    }

    private Map<String, String> rocksDbContents() {
        Map<String, String> contents = new HashMap<>();
        for (int c = 0; c < 2; c++) {
            try (RocksIterator it = db.newIterator(columns.get(1 + c))) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    contents.put(c + ":" + string(it.key()), string(it.value()));
                }
            }
        }
        return contents;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
