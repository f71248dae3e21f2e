package io.sluice.state.rocksdb;

import io.sluice.state.rocksdb.RocksDbOptionsCustomizer.ResourceOwner;
import java.util.Properties;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.IndexType;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.WriteBufferManager;

/**
 * The native RocksDB options one backend opens its database and creates its column families with, built from
 * {@link RocksDbOptions}: Sluice's defaults, then the user's {@link RocksDbOptionsCustomizer}, then the settings the
 * memory budget depends on again (block cache shared by index and filter blocks and by the write buffer manager).
 * Every native object goes to the given {@link ResourceOwner}, which closes them. Used on the thread creating the
 * backend.
 *
 * <p>Every column family gets a merge operator that concatenates with no delimiter, so list state appends with
 * {@code merge} (see {@link StateKind}): {@code StringAppendTESTOperator} with an empty delimiter, which concatenates
 * all operands of a key into one buffer sized up front. The Java API's {@code StringAppendOperator("")} concatenates
 * too but is an associative operator that folds operands one at a time, copying the growing value for each: a read of
 * a key with 50,000 pending appends took 400 ms instead of 1.4 ms. The TEST operator has no Java class, so it is
 * configured through RocksDB's options string.
 */
final class NativeOptions {
    /** The RocksDB options string of the list merge operator: plain concatenation. */
    static final String CONCATENATING_MERGE_OPERATOR = "{id=StringAppendTESTOperator;delimiter=}";

    final Cache blockCache;
    final DBOptions dbOptions;
    final ColumnFamilyOptions columnOptions;
    /** The lease of the memory budget the cache belongs to. */
    final SharedMemory.Lease memory;

    private NativeOptions(SharedMemory.Lease memory, Cache blockCache, DBOptions dbOptions,
            ColumnFamilyOptions columnOptions) {
        this.memory = memory;
        this.blockCache = blockCache;
        this.dbOptions = dbOptions;
        this.columnOptions = columnOptions;
    }

    /**
     * @throws IllegalArgumentException when the customizer replaced the table format config
     */
    static NativeOptions create(RocksDbOptions options, ResourceOwner owner) {
        return create(options, owner, null);
    }

    /**
     * As {@link #create(RocksDbOptions, ResourceOwner)}, with the block cache and write buffer manager of the shared
     * budget {@code sharedBudget} when it is not {@code null} (its lease is owned, so released after the database).
     */
    static NativeOptions create(RocksDbOptions options, ResourceOwner owner, String sharedBudget) {
        MemorySplit split = MemorySplit.of(options);
        RocksDbOptionsCustomizer customizer = options.customizer().orElse(new RocksDbOptionsCustomizer() {});
        SharedMemory.Lease memory = owner.own(sharedBudget == null ? SharedMemory.own(options)
                : SharedMemory.lease(sharedBudget, options));
        Cache cache = memory.cache();
        WriteBufferManager writeBuffers = memory.writeBuffers();

        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockSize(options.blockSizeBytes())
                // Index and filters in partitions the size of data blocks, with only their small top level pinned: a
                // whole-file filter block (megabytes for large SST files) may not fit a cache shard, and a block that
                // does not fit is dropped after each use, so every lookup would read and parse it again.
                .setIndexType(IndexType.kTwoLevelIndexSearch)
                .setPartitionFilters(true)
                .setPinTopLevelIndexAndFilter(true)
                // L0 files are searched on every read: keep their index and filter blocks from being evicted
                .setPinL0FilterAndIndexBlocksInCache(true);
        if (options.bloomBitsPerKey() > 0) {
            table.setFilterPolicy(owner.own(new BloomFilter(options.bloomBitsPerKey(), false)));
        }
        customizer.customizeTable(table, owner);
        shareBudget(table, cache);

        DBOptions db = owner.own(new DBOptions()
                .setInfoLogLevel(InfoLogLevel.HEADER_LEVEL)
                .setStatsDumpPeriodSec(0)
                .setMaxOpenFiles(-1)); // table readers stay open; their memory is in the cache (index and filters)
        customizer.customizeDbOptions(db, owner);
        db.setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(writeBuffers);

        ColumnFamilyOptions columns = owner.own(columnOptionsWithConcatenatingMerge());
        columns.setTableFormatConfig(table)
                .setWriteBufferSize(split.writeBufferSize())
                .setCompactionStyle(options.compactionStyle());
        customizer.customizeColumnOptions(columns, owner);
        if (columns.tableFormatConfig() != table) {
            throw new IllegalArgumentException("the RocksDB options customizer " + customizer.getClass().getName()
                    + " replaced the table format config, which holds the block cache the memory budget depends on: "
                    + "change table settings in customizeTable instead");
        }
        shareBudget(table, cache);
        columns.setTableFormatConfig(table); // the native table factory is a copy: make it again with the settings above
        return new NativeOptions(memory, cache, db, columns);
    }

    /**
     * Shards of at least 16 MiB (at most 64 of them): RocksDB's default of 64 shards cuts a 64 MiB cache into 1 MiB
     * pieces, smaller than many index and filter blocks. Fewer shards cost a little lock contention, which one task
     * thread per backend hardly has.
     */
    static int shardBits(long cacheBytes) {
        int bits = 0;
        while (bits < 6 && cacheBytes >> (bits + 1) >= 16L << 20) {
            bits++;
        }
        return bits;
    }

    /** The table settings the memory budget depends on: every block, index and filter in the one cache. */
    private static void shareBudget(BlockBasedTableConfig table, Cache cache) {
        table.setNoBlockCache(false)
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setCacheIndexAndFilterBlocksWithHighPriority(true);
    }

    private static ColumnFamilyOptions columnOptionsWithConcatenatingMerge() {
        Properties props = new Properties();
        props.setProperty("merge_operator", CONCATENATING_MERGE_OPERATOR);
        try (ConfigOptions config = new ConfigOptions()) {
            ColumnFamilyOptions columns = ColumnFamilyOptions.getColumnFamilyOptionsFromProps(config, props);
            if (columns == null) {
                throw new IllegalStateException("this RocksDB build has no merge operator " + CONCATENATING_MERGE_OPERATOR);
            }
            return columns;
        }
    }
}
