package io.sluice.state.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateBackend;
import io.sluice.runtime.state.StateOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.DBOptions;

/** RocksDB options: parsing the job's options, the default budget rule, the customizer, and what reaches RocksDB. */
class RocksDbOptionsTest {
    @TempDir
    Path tmp;

    static RocksDbOptions parse(String... keysAndValues) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return RocksDbOptions.fromMap(map);
    }

    static IllegalArgumentException rejected(String key, String value) {
        return assertThrows(IllegalArgumentException.class, () -> parse(key, value), key + "=" + value);
    }

    @Test
    void sizesInBytesAndBinaryUnits() {
        assertEquals(67108864L, ByteSizes.parse("67108864"));
        assertEquals(64L << 20, ByteSizes.parse("64mb"));
        assertEquals(64L << 20, ByteSizes.parse("64 MiB"));
        assertEquals(64L << 20, ByteSizes.parse("64M"));
        assertEquals(1L << 30, ByteSizes.parse("1g"));
        assertEquals(16L << 10, ByteSizes.parse("16kb"));
        assertEquals(5, ByteSizes.parse("5b"));
        assertEquals(2L << 40, ByteSizes.parse(" 2 TB "));
        for (String bad : List.of("", "mb", "-1mb", "1.5g", "12 parsecs", "99999999999999999999", "9000000tb")) {
            assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(bad), bad);
        }
        assertEquals("64 MiB", ByteSizes.format(64L << 20));
        assertEquals("1.5 GiB", ByteSizes.format(3L << 29));
        assertEquals("100 bytes", ByteSizes.format(100));
    }

    @Test
    void everyKeyIsParsed() {
        RocksDbOptions o = parse(
                "rocksdb.memory", "256mb",
                "rocksdb.memory.write-buffer-ratio", "0.25",
                "rocksdb.memory.high-priority-pool-ratio", "0.2",
                "rocksdb.block-size", "32kb",
                "rocksdb.bloom-bits-per-key", "0",
                "rocksdb.compaction-style", "Universal",
                "rocksdb.incremental", "false",
                "rocksdb.local-dir", tmp.toString(),
                "rocksdb.write-cache", "8mb",
                "heap.something", "ignored: not ours",
                "rocksdbish", "ignored: no dot");
        assertEquals(256L << 20, o.memoryBudgetBytes());
        assertEquals(0.25, o.writeBufferRatio());
        assertEquals(0.2, o.highPriorityPoolRatio());
        assertEquals(32L << 10, o.blockSizeBytes());
        assertEquals(0, o.bloomBitsPerKey());
        assertEquals(CompactionStyle.UNIVERSAL, o.compactionStyle());
        assertFalse(o.incremental());
        assertEquals(Optional.of(tmp), o.localDirectory());
        assertEquals(8L << 20, o.writeCacheBytes());
        assertEquals(0, parse("rocksdb.write-cache", "0").writeCacheBytes(), "0 switches the cache off");
        assertTrue(o.customizer().isEmpty());
        assertEquals(CompactionStyle.FIFO, parse("rocksdb.compaction-style", "fifo").compactionStyle());
    }

    @Test
    void defaultsWithoutOptions() {
        RocksDbOptions o = RocksDbOptions.fromMap(Map.of());
        assertEquals(RocksDbOptions.defaultMemoryBudget(), o.memoryBudgetBytes());
        assertEquals(0.5, o.writeBufferRatio());
        assertEquals(0.1, o.highPriorityPoolRatio());
        assertEquals(16L << 10, o.blockSizeBytes());
        assertEquals(10, o.bloomBitsPerKey());
        assertEquals(CompactionStyle.LEVEL, o.compactionStyle());
        assertTrue(o.incremental());
        assertTrue(o.customizer().isEmpty());
        long heapShare = Runtime.getRuntime().maxMemory() / 1024;
        assertEquals(Math.clamp(heapShare, 256L << 10, 8L << 20), o.writeCacheBytes());
        assertEquals(Optional.empty(), o.localDirectory(), "no local directory: the JVM's temporary one");
    }

    @Test
    void withoutALocalDirectoryABackendLivesInTheJvmsTemporaryDirectoryAndDeletesItsOwn() throws Exception {
        Path jvmTemporary = Path.of(System.getProperty("java.io.tmpdir")); // tests may read it; the backend does not
        Path own;
        try (RocksDbKeyedStateBackend b = (RocksDbKeyedStateBackend) new RocksDbBackendFactory()
                .create(io.sluice.runtime.state.StateOwner.UNNAMED, new KeyGroupRange(0, 8), 8, Types.INT, () -> 0L,
                        Map.of("rocksdb.memory", "16mb"))) {
            own = b.directory();
            assertEquals(jvmTemporary.toRealPath(), own.getParent().toRealPath(), own.toString());
            assertTrue(own.getFileName().toString().startsWith("sluice-rocksdb-"), own.toString());
        }
        assertFalse(Files.exists(own), "closed backends delete their directory");
    }

    @Test
    void theDefaultBudgetIsDerivedFromTheMachine() {
        // half of (physical - max heap), over the processors, within [16 MiB, 512 MiB]
        assertEquals(128L << 20, DefaultMemoryBudget.derive(2L << 30, 1L << 30, 4));
        assertEquals(384L << 20, DefaultMemoryBudget.derive(4L << 30, 1L << 30, 4));
        assertEquals(512L << 20, DefaultMemoryBudget.derive(64L << 30, 16L << 30, 8));
        assertEquals(16L << 20, DefaultMemoryBudget.derive(1L << 30, 1L << 30, 2));
        assertEquals(16L << 20, DefaultMemoryBudget.derive(1L << 30, Long.MAX_VALUE, 2)); // heap larger than memory
        assertEquals(16L << 20, DefaultMemoryBudget.derive(8L << 30, 1L << 30, 1024));
        long here = RocksDbOptions.defaultMemoryBudget();
        assertTrue(here >= 16L << 20 && here <= 512L << 20, "default budget " + here);
        assertEquals(here, RocksDbOptions.defaults().memoryBudgetBytes());
    }

    @Test
    void badValuesNameKeyAndValue() {
        List<String[]> bad = List.of(
                new String[] {"rocksdb.memory", "lots"},
                new String[] {"rocksdb.memory", "512kb"},
                new String[] {"rocksdb.memory.write-buffer-ratio", "1"},
                new String[] {"rocksdb.memory.write-buffer-ratio", "half"},
                new String[] {"rocksdb.memory.high-priority-pool-ratio", "-0.1"},
                new String[] {"rocksdb.block-size", "100"},
                new String[] {"rocksdb.bloom-bits-per-key", "NaN"},
                new String[] {"rocksdb.bloom-bits-per-key", "-1"},
                new String[] {"rocksdb.compaction-style", "none"},
                new String[] {"rocksdb.incremental", "yes"},
                new String[] {"rocksdb.local-dir", " "},
                new String[] {"rocksdb.options-customizer", "com.example.Missing"},
                new String[] {"rocksdb.options-customizer", String.class.getName()},
                new String[] {"rocksdb.options-customizer", NoDefaultConstructor.class.getName()});
        for (String[] kv : bad) {
            String message = rejected(kv[0], kv[1]).getMessage();
            assertTrue(message.contains(kv[0]) && message.contains("'" + kv[1] + "'"), message);
        }
        assertTrue(rejected("rocksdb.memory", "512kb").getMessage().contains("at least 1 MiB"));
        assertTrue(rejected("rocksdb.options-customizer", String.class.getName()).getMessage()
                .contains("does not implement " + RocksDbOptionsCustomizer.class.getName()));
        assertTrue(rejected("rocksdb.options-customizer", NoDefaultConstructor.class.getName()).getMessage()
                .contains("public no-argument constructor"));
    }

    @Test
    void unknownKeysAreRejectedListingTheValidOnes() {
        String message = rejected("rocksdb.memory-size", "64mb").getMessage();
        assertTrue(message.contains("'rocksdb.memory-size'"), message);
        for (String key : RocksDbOptions.KEYS) {
            assertTrue(message.contains(key), message);
        }
        assertEquals(11, RocksDbOptions.KEYS.size());
    }

    @Test
    void withersValidateAndCopy() {
        RocksDbOptions base = RocksDbOptions.defaults();
        RocksDbOptions changed = base.withMemoryBudget(32L << 20).withBlockSize(4096).withBloomBitsPerKey(9.5);
        assertEquals(32L << 20, changed.memoryBudgetBytes());
        assertEquals(4096, changed.blockSizeBytes());
        assertEquals(9.5, changed.bloomBitsPerKey());
        assertEquals(16L << 10, base.blockSizeBytes(), "immutable");
        assertThrows(IllegalArgumentException.class, () -> base.withWriteBufferRatio(0));
        assertThrows(IllegalArgumentException.class, () -> base.withCompactionStyle(CompactionStyle.NONE));
        assertThrows(NullPointerException.class, () -> base.withLocalDirectory(null));
        assertThrows(IllegalArgumentException.class, () -> base.withWriteCache(-1));
    }

    @Test
    void theBudgetIsSplitBetweenCacheAndMemtables() {
        MemorySplit split = MemorySplit.of(RocksDbOptions.defaults().withMemoryBudget(96L << 20));
        assertEquals(80L << 20, split.cacheCapacity()); // 96 MiB * (3 - 0.5) / 3
        assertEquals(32L << 20, split.writeBufferLimit()); // 96 MiB * 2 * 0.5 / 3
        assertEquals(16L << 20, split.writeBufferSize());
        assertEquals(96L << 20, split.cacheCapacity() + split.writeBufferLimit() / 2);
        MemorySplit smallest = MemorySplit.of(RocksDbOptions.defaults().withMemoryBudget(RocksDbOptions.MIN_MEMORY_BUDGET));
        assertEquals(smallest.writeBufferLimit() / 2, smallest.writeBufferSize());
        assertEquals(64L << 20, MemorySplit.of(RocksDbOptions.defaults().withMemoryBudget(1L << 40)).writeBufferSize());
    }

    /** Records what it saw; changes one database and one column family setting, and tries to drop the cache. */
    public static final class RecordingCustomizer implements RocksDbOptionsCustomizer {
        final List<String> calls = new ArrayList<>();
        long blockSizeSeen;
        long writeBufferSizeSeen;

        @Override
        public void customizeTable(BlockBasedTableConfig table, ResourceOwner owner) {
            calls.add("table");
            blockSizeSeen = table.blockSize();
            table.setNoBlockCache(true); // undone: the budget depends on the cache
            table.setBlockSize(8 << 10);
        }

        @Override
        public void customizeDbOptions(DBOptions options, ResourceOwner owner) {
            calls.add("db");
            options.setMaxBackgroundJobs(3);
        }

        @Override
        public void customizeColumnOptions(ColumnFamilyOptions options, ResourceOwner owner) {
            calls.add("columns");
            writeBufferSizeSeen = options.writeBufferSize();
            options.setLevel0FileNumCompactionTrigger(7);
        }
    }

    /** Replaces the table format config: the cache would be lost. */
    public static final class ReplacingCustomizer implements RocksDbOptionsCustomizer {
        @Override
        public void customizeColumnOptions(ColumnFamilyOptions options, ResourceOwner owner) {
            options.setTableFormatConfig(new BlockBasedTableConfig());
        }
    }

    public static final class NoDefaultConstructor implements RocksDbOptionsCustomizer {
        public NoDefaultConstructor(int unused) {}
    }

    /** The newest OPTIONS file RocksDB wrote for the database: every option it runs with, per column family. */
    static String rocksDbOptionsFile(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            Path newest = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(8))))
                    .orElseThrow();
            return Files.readString(newest);
        }
    }

    @Test
    void theFactoryAppliesTheJobsOptionsAndTheCustomizerAfterTheDefaults() throws Exception {
        Path local = tmp.resolve("local");
        Map<String, String> jobOptions = Map.of(
                "rocksdb.memory", "32mb",
                "rocksdb.block-size", "32kb",
                "rocksdb.local-dir", local.toString(),
                "rocksdb.options-customizer", RecordingCustomizer.class.getName());
        KeyedStateBackend created = new RocksDbBackendFactory().create(StateOwner.UNNAMED, new KeyGroupRange(0, 8), 8, Types.INT, () -> 0L,
                jobOptions);
        try (RocksDbKeyedStateBackend b = (RocksDbKeyedStateBackend) created) {
            assertEquals(32L << 20, b.options().memoryBudgetBytes());
            assertTrue(b.directory().startsWith(local), b.directory().toString());
            RecordingCustomizer customizer = (RecordingCustomizer) b.options().customizer().orElseThrow();
            assertEquals(List.of("table", "db", "columns"), customizer.calls);
            assertEquals(32L << 10, customizer.blockSizeSeen, "the customizer sees the options' settings");
            assertEquals(MemorySplit.of(b.options()).writeBufferSize(), customizer.writeBufferSizeSeen);

            ValueState<Long> v = b.getState(new ValueStateDescriptor<>("v", Types.LONG));
            for (int k = 0; k < 100; k++) {
                b.setCurrentKey(k);
                v.update((long) k);
            }
            String file = rocksDbOptionsFile(b.directory());
            int section = file.indexOf("[CFOptions \"state\\:v\"]"); // then its table options; ':' is escaped
            assertTrue(section >= 0, file);
            String stateColumn = file.substring(section);
            assertTrue(stateColumn.contains("level0_file_num_compaction_trigger=7"), "customized column option");
            assertTrue(file.contains("max_background_jobs=3"), "customized database option");
            assertTrue(stateColumn.contains("block_size=8192"), "customized table option");
            assertTrue(stateColumn.contains("no_block_cache=false"), "the budget's cache is kept");
            assertTrue(stateColumn.contains("cache_index_and_filter_blocks=true"));
            assertTrue(stateColumn.contains("StringAppendTESTOperator"), "the list merge operator");
            assertTrue(stateColumn.contains("write_buffer_size=" + MemorySplit.of(b.options()).writeBufferSize()));
            b.setCurrentKey(42);
            assertEquals(42L, v.value());
        }
        try (Stream<Path> left = Files.list(local)) {
            assertEquals(0, left.count(), "closed backends delete their directory");
        }
    }

    @Test
    void aCustomizerReplacingTheTableConfigFailsAndLeavesNothingBehind() {
        RocksDbOptions options = RocksDbOptions.defaults().withMemoryBudget(8L << 20)
                .withCustomizer(new ReplacingCustomizer());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RocksDbKeyedStateBackend(
                new KeyGroupRange(0, 8), 8, Types.INT, () -> 0L, tmp, options));
        assertTrue(e.getMessage().contains("customizeTable"), e.getMessage());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count());
        } catch (IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
    }

    @Test
    void unknownKeysFailTheFactory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RocksDbBackendFactory()
                .create(StateOwner.UNNAMED, new KeyGroupRange(0, 8), 8, Types.INT, () -> 0L,
                        Map.of("rocksdb.incremantal", "true")));
        assertTrue(e.getMessage().contains("rocksdb.incremantal"), e.getMessage());
    }
}
