package io.sluice.bench;

import io.sluice.state.rocksdb.RocksDbOptionsCustomizer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.IndexType;

/**
 * A RocksDB options customizer for benchmarks: partitioned bloom filters and two-level indexes, so that a large SST
 * file's filter and index are read in small partitions (cached like data blocks) instead of one block per file that
 * may be larger than a block cache shard. Use with {@code rocksdb.options-customizer=io.sluice.bench.PartitionedFilters}.
 */
public final class PartitionedFilters implements RocksDbOptionsCustomizer {
    @Override
    public void customizeTable(BlockBasedTableConfig table, ResourceOwner owner) {
        table.setPartitionFilters(true)
                .setIndexType(IndexType.kTwoLevelIndexSearch)
                .setPinTopLevelIndexAndFilter(true);
    }
}
