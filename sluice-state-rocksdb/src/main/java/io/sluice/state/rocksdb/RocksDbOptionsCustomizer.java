package io.sluice.state.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * Adjusts the RocksDB options a state backend opens its database with, after Sluice's defaults are set: a way to tune
 * what {@link RocksDbOptions} has no setting for. Set one with {@link RocksDbOptions#withCustomizer} or by class name
 * with the option {@code rocksdb.options-customizer} (then the class needs a public no-argument constructor).
 *
 * <p>Each method is called once per backend, on the thread creating the backend, before the database opens; the same
 * customizer instance may be called by several backends at once, so it must be thread-safe (stateless is simplest).
 * The column family options apply to every state (column family) of the backend.
 *
 * <p><b>The memory budget depends on settings that must stay:</b> the table's block cache, index and filter blocks
 * cached in it, and the database's write buffer manager (which charges memtables to that cache). Sluice sets these
 * again after the customizer, and fails the backend if {@link #customizeColumnOptions} replaced the table format
 * config: change table settings in {@link #customizeTable} instead. Settings that grow memory outside the cache (for
 * example a very large {@code max_write_buffer_number} with the write buffer manager's limits, or a second cache)
 * break the budget. Native objects a customizer creates (filters, caches, ...) must be given to the
 * {@link ResourceOwner}, which closes them when the backend closes.
 */
public interface RocksDbOptionsCustomizer {

    /** Adjusts the block-based table settings (block size, filters, ...) before they are set on the column options. */
    default void customizeTable(BlockBasedTableConfig table, ResourceOwner owner) {}

    /** Adjusts the database options (background jobs, logging, ...). */
    default void customizeDbOptions(DBOptions options, ResourceOwner owner) {}

    /** Adjusts the options every state's column family is created with (compaction, compression, memtables, ...). */
    default void customizeColumnOptions(ColumnFamilyOptions options, ResourceOwner owner) {}

    /** Closes native objects when the backend closes (in reverse order of {@link #own}, after the database). */
    interface ResourceOwner {
        /** Takes ownership of {@code resource}; returns it. */
        <T extends AutoCloseable> T own(T resource);
    }
}
