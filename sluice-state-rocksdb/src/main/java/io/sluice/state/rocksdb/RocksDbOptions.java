package io.sluice.state.rocksdb;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.rocksdb.CompactionStyle;

/**
 * How a RocksDB state backend is set up: its native memory budget and how that is shared, table and compaction
 * settings, an optional {@link RocksDbOptionsCustomizer}, whether snapshots are incremental, and where the database
 * files go. Immutable and thread-safe: the {@code with...} methods return changed copies and reject invalid values
 * with an {@link IllegalArgumentException}. {@link #fromMap} reads the job's state backend options.
 *
 * <p><b>Memory.</b> Each backend (one keyed operator in one subtask) gets {@link #memoryBudgetBytes()} of native memory.
 * Its block cache (data blocks, and index and filter blocks with high priority) and its memtables (counted by a write
 * buffer manager that charges them to the same cache) share that budget, so RocksDB stays inside it however many
 * states the job has. How the budget is split is {@link MemorySplit}'s contract. The default budget is derived from
 * the worker: half of (physical memory − the JVM's maximum heap), divided by the number of available processors,
 * clamped to [16 MiB, 512 MiB] ({@link #defaultMemoryBudget()}); {@code rocksdb.memory} overrides it.
 *
 * <p>With {@link #withSharedMemory a shared memory name} ({@code rocksdb.memory.shared-by}), the backends of one JVM
 * with that name and the same subtask index share one budget instead: one block cache and one write buffer manager
 * of {@link #memoryBudgetBytes()} for all of them, however many keyed operators the job has. A cluster worker names
 * each attempt's slots this way, so a slot's keyed operators share the slot's managed memory (as in Flink).
 */
public final class RocksDbOptions {
    /** The smallest budget accepted: below it RocksDB would do little but flush and evict. */
    public static final long MIN_MEMORY_BUDGET = 1L << 20;

    /** Option keys of the job's state backend options ({@link #fromMap}); the user guide explains each. */
    public static final String MEMORY = "rocksdb.memory";
    public static final String WRITE_BUFFER_RATIO = "rocksdb.memory.write-buffer-ratio";
    public static final String HIGH_PRIORITY_POOL_RATIO = "rocksdb.memory.high-priority-pool-ratio";
    public static final String BLOCK_SIZE = "rocksdb.block-size";
    public static final String BLOOM_BITS_PER_KEY = "rocksdb.bloom-bits-per-key";
    public static final String COMPACTION_STYLE = "rocksdb.compaction-style";
    public static final String OPTIONS_CUSTOMIZER = "rocksdb.options-customizer";
    public static final String INCREMENTAL = "rocksdb.incremental";
    public static final String LOCAL_DIR = "rocksdb.local-dir";
    public static final String WRITE_CACHE = "rocksdb.write-cache";
    public static final String MEMORY_SHARED_BY = "rocksdb.memory.shared-by";
    /** Every key this backend knows. */
    public static final java.util.List<String> KEYS = java.util.List.of(MEMORY, WRITE_BUFFER_RATIO,
            HIGH_PRIORITY_POOL_RATIO, BLOCK_SIZE, BLOOM_BITS_PER_KEY, COMPACTION_STYLE, OPTIONS_CUSTOMIZER, INCREMENTAL,
            LOCAL_DIR, WRITE_CACHE, MEMORY_SHARED_BY);

    private final long memoryBudgetBytes;
    private final double writeBufferRatio;
    private final double highPriorityPoolRatio;
    private final long blockSizeBytes;
    private final double bloomBitsPerKey;
    private final CompactionStyle compactionStyle;
    private final RocksDbOptionsCustomizer customizer;
    private final boolean incremental;
    /** {@code null}: the JVM's temporary directory, which the JDK resolves when a backend creates its directory. */
    private final Path localDirectory;
    private final long writeCacheBytes;
    /** {@code null}: the backend's budget is its own. */
    private final String sharedMemoryName;

    private RocksDbOptions(long memoryBudgetBytes, double writeBufferRatio, double highPriorityPoolRatio,
            long blockSizeBytes, double bloomBitsPerKey, CompactionStyle compactionStyle,
            RocksDbOptionsCustomizer customizer, boolean incremental, Path localDirectory, long writeCacheBytes,
            String sharedMemoryName) {
        this.sharedMemoryName = sharedMemoryName;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.writeBufferRatio = writeBufferRatio;
        this.highPriorityPoolRatio = highPriorityPoolRatio;
        this.blockSizeBytes = blockSizeBytes;
        this.bloomBitsPerKey = bloomBitsPerKey;
        this.compactionStyle = compactionStyle;
        this.customizer = customizer;
        this.incremental = incremental;
        this.localDirectory = localDirectory;
        this.writeCacheBytes = writeCacheBytes;
    }

    /**
     * The defaults: the derived memory budget, write buffer ratio 0.5, high-priority pool ratio 0.1, 16 KiB blocks,
     * bloom filters with 10 bits per key, level compaction, no customizer, incremental snapshots, and files under the
     * JVM's temporary directory (no {@link #localDirectory()}).
     */
    public static RocksDbOptions defaults() {
        return new RocksDbOptions(defaultMemoryBudget(), 0.5, 0.1, 16L << 10, 10, CompactionStyle.LEVEL, null, true,
                null, defaultWriteCacheBytes(), null);
    }

    /**
     * The defaults changed by the job's state backend options: keys starting with {@code rocksdb.} (the ones in
     * {@link #KEYS}); other keys belong to other backends and are ignored.
     *
     * @throws IllegalArgumentException for an unknown {@code rocksdb.} key (the message lists the valid ones) or a bad
     *                                  value (the message names key and value)
     */
    public static RocksDbOptions fromMap(Map<String, String> options) {
        return RocksDbOptionsParser.parse(options, defaults());
    }

    /**
     * The write cache size used when none is set: 1/1024 of the JVM's maximum heap (4 MiB at 4 GiB), at least 256 KiB
     * and at most 8 MiB, read now. Small on purpose: Nexmark's hot keys fit in a few MiB, and a larger cache mostly
     * holds medium-lived entries that every young collection copies (32 MiB tripled q5's peak RSS for no speed-up,
     * see docs/benchmarks.md).
     */
    public static long defaultWriteCacheBytes() {
        return Math.clamp(Runtime.getRuntime().maxMemory() / 1024, 256L << 10, 8L << 20);
    }

    /** The budget used when none is set: see the class comment; the same for every call in one JVM. */
    public static long defaultMemoryBudget() {
        return DefaultMemoryBudget.ofThisMachine();
    }

    // ---- values ----

    /** Native memory for the block cache and memtables together, in bytes. */
    public long memoryBudgetBytes() {
        return memoryBudgetBytes;
    }

    /** The share of the budget memtables may use, in (0, 1); see {@link MemorySplit}. */
    public double writeBufferRatio() {
        return writeBufferRatio;
    }

    /** The share of the block cache reserved for index and filter blocks, in [0, 1). */
    public double highPriorityPoolRatio() {
        return highPriorityPoolRatio;
    }

    /** Uncompressed size of a data block, in bytes. */
    public long blockSizeBytes() {
        return blockSizeBytes;
    }

    /** Bloom filter bits per key for point lookups; 0: no filters. */
    public double bloomBitsPerKey() {
        return bloomBitsPerKey;
    }

    public CompactionStyle compactionStyle() {
        return compactionStyle;
    }

    public Optional<RocksDbOptionsCustomizer> customizer() {
        return Optional.ofNullable(customizer);
    }

    /** Whether checkpoints upload only new files (default true). */
    public boolean incremental() {
        return incremental;
    }

    /**
     * The directory under which each backend creates its own database directory ({@code rocksdb.local-dir}); empty
     * for the JVM's temporary directory ({@code -Djava.io.tmpdir}).
     */
    public Optional<Path> localDirectory() {
        return Optional.ofNullable(localDirectory);
    }

    /**
     * Heap bytes of the write-back cache in front of RocksDB for value, reducing and aggregating state
     * ({@link WriteBackCache}); 0 turns it off.
     */
    public long writeCacheBytes() {
        return writeCacheBytes;
    }

    /** The name of the budget this backend shares with the others of its subtask index, if it shares one. */
    public Optional<String> sharedMemoryName() {
        return Optional.ofNullable(sharedMemoryName);
    }

    // ---- changed copies ----

    /**
     * The backends of this JVM created with {@code name} and the same subtask index share one budget (cache and write
     * buffer manager) of {@link #memoryBudgetBytes()}; the first backend of a name and index sets its size, and it is
     * freed with the last one.
     */
    public RocksDbOptions withSharedMemory(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a shared memory name must not be empty");
        }
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, highPriorityPoolRatio, blockSizeBytes,
                bloomBitsPerKey, compactionStyle, customizer, incremental, localDirectory, writeCacheBytes, name);
    }

    /** The write-back cache's size on the heap, in bytes; 0 turns the cache off. */
    public RocksDbOptions withWriteCache(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("the write cache size must not be negative, was " + bytes + " bytes");
        }
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, highPriorityPoolRatio, blockSizeBytes,
                bloomBitsPerKey, compactionStyle, customizer, incremental, localDirectory, bytes, sharedMemoryName);
    }

    public RocksDbOptions withMemoryBudget(long bytes) {
        if (bytes < MIN_MEMORY_BUDGET) {
            throw new IllegalArgumentException("the memory budget must be at least 1 MiB, was " + bytes + " bytes");
        }
        return new RocksDbOptions(bytes, writeBufferRatio, highPriorityPoolRatio, blockSizeBytes, bloomBitsPerKey,
                compactionStyle, customizer, incremental, localDirectory, writeCacheBytes, sharedMemoryName);
    }

    public RocksDbOptions withWriteBufferRatio(double ratio) {
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("the write buffer ratio must be between 0 and 1 (exclusive), was " + ratio);
        }
        return new RocksDbOptions(memoryBudgetBytes, ratio, highPriorityPoolRatio, blockSizeBytes, bloomBitsPerKey,
                compactionStyle, customizer, incremental, localDirectory, writeCacheBytes, sharedMemoryName);
    }

    public RocksDbOptions withHighPriorityPoolRatio(double ratio) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("the high-priority pool ratio must be in [0, 1), was " + ratio);
        }
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, ratio, blockSizeBytes, bloomBitsPerKey,
                compactionStyle, customizer, incremental, localDirectory, writeCacheBytes, sharedMemoryName);
    }

    public RocksDbOptions withBlockSize(long bytes) {
        if (bytes < 1L << 10 || bytes > 64L << 20) {
            throw new IllegalArgumentException("the block size must be between 1 KiB and 64 MiB, was " + bytes + " bytes");
        }
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, highPriorityPoolRatio, bytes, bloomBitsPerKey,
                compactionStyle, customizer, incremental, localDirectory, writeCacheBytes, sharedMemoryName);
    }

    /** Bits per key of the bloom filters, in [0, 100]; 0 turns filters off. */
    public RocksDbOptions withBloomBitsPerKey(double bits) {
        if (!(bits >= 0 && bits <= 100)) {
            throw new IllegalArgumentException("bloom bits per key must be in [0, 100] (0: no filter), was " + bits);
        }
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, highPriorityPoolRatio, blockSizeBytes, bits,
                compactionStyle, customizer, incremental, localDirectory, writeCacheBytes, sharedMemoryName);
    }

    /**
     * Level (default), universal or FIFO compaction. FIFO deletes the oldest files once the column family exceeds its
     * size limit (1 GiB unless a customizer changes it): state is then lost, so it suits only state that may be.
     */
    public RocksDbOptions withCompactionStyle(CompactionStyle style) {
        if (style != CompactionStyle.LEVEL && style != CompactionStyle.UNIVERSAL && style != CompactionStyle.FIFO) {
            throw new IllegalArgumentException("the compaction style must be LEVEL, UNIVERSAL or FIFO, was " + style);
        }
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, highPriorityPoolRatio, blockSizeBytes,
                bloomBitsPerKey, style, customizer, incremental, localDirectory, writeCacheBytes, sharedMemoryName);
    }

    /** A customizer applied after the defaults, or {@code null} for none. */
    public RocksDbOptions withCustomizer(RocksDbOptionsCustomizer customizer) {
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, highPriorityPoolRatio, blockSizeBytes,
                bloomBitsPerKey, compactionStyle, customizer, incremental, localDirectory, writeCacheBytes, sharedMemoryName);
    }

    public RocksDbOptions withIncremental(boolean incremental) {
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, highPriorityPoolRatio, blockSizeBytes,
                bloomBitsPerKey, compactionStyle, customizer, incremental, localDirectory, writeCacheBytes, sharedMemoryName);
    }

    public RocksDbOptions withLocalDirectory(Path directory) {
        return new RocksDbOptions(memoryBudgetBytes, writeBufferRatio, highPriorityPoolRatio, blockSizeBytes,
                bloomBitsPerKey, compactionStyle, customizer, incremental, Objects.requireNonNull(directory, "directory"),
                writeCacheBytes, sharedMemoryName);
    }

    @Override
    public String toString() {
        return "RocksDbOptions[memory=" + ByteSizes.format(memoryBudgetBytes) + ", writeBufferRatio=" + writeBufferRatio
                + ", highPriorityPoolRatio=" + highPriorityPoolRatio + ", blockSize=" + ByteSizes.format(blockSizeBytes)
                + ", bloomBitsPerKey=" + bloomBitsPerKey + ", compactionStyle=" + compactionStyle
                + ", customizer=" + (customizer == null ? "none" : customizer.getClass().getName())
                + ", incremental=" + incremental + ", localDirectory=" + (localDirectory == null ? "temporary" : localDirectory)
                + ", writeCache=" + ByteSizes.format(writeCacheBytes)
                + (sharedMemoryName == null ? "" : ", sharedBy=" + sharedMemoryName) + "]";
    }
}
