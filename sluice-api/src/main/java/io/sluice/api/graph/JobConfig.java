package io.sluice.api.graph;

import java.io.Serializable;

/**
 * Settings of a job that the runtime obeys.
 *
 * @param maxParallelism  number of key groups; the upper bound of any operator's parallelism
 * @param batchSize       records per channel batch
 * @param channelCapacity batches a channel holds before its producer waits (backpressure)
 * @param flushIntervalMillis longest time a partly filled batch waits before it is sent
 * @param autoWatermarkIntervalMillis how often watermark generators are asked for a periodic watermark (and silent
 *                        inputs checked for idleness); 0 turns periodic emission off
 * @param stateBackend    where keyed state lives: {@code heap} (default) or {@code rocksdb} (needs sluice-state-rocksdb)
 * @param stateBackendOptions options the chosen backend reads (e.g. {@code rocksdb.memory=256mb},
 *                        {@code rocksdb.incremental=false}); a backend rejects keys of its own prefix it does not know
 */
public record JobConfig(int maxParallelism, int batchSize, int channelCapacity, long flushIntervalMillis,
        long autoWatermarkIntervalMillis, String stateBackend, java.util.Map<String, String> stateBackendOptions)
        implements Serializable {

    /** The default of {@link #autoWatermarkIntervalMillis}. */
    public static final long DEFAULT_AUTO_WATERMARK_INTERVAL_MILLIS = 200;

    public static JobConfig defaults() {
        return new JobConfig(128, 512, 8, 50);
    }

    public JobConfig {
        if (maxParallelism < 1 || maxParallelism > 32768) {
            throw new IllegalArgumentException("maxParallelism must be in 1..32768, was " + maxParallelism);
        }
        if (batchSize < 1 || channelCapacity < 1 || flushIntervalMillis < 0) {
            throw new IllegalArgumentException("batchSize and channelCapacity must be positive, flush interval not negative");
        }
        java.util.Objects.requireNonNull(stateBackend, "stateBackend");
        // A sorted copy: serializable, immutable to callers, equal when the options are.
        stateBackendOptions = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(stateBackendOptions));
        if (autoWatermarkIntervalMillis < 0) {
            throw new IllegalArgumentException("autoWatermarkIntervalMillis must not be negative, was " + autoWatermarkIntervalMillis);
        }
    }

    /** With the default watermark interval ({@value #DEFAULT_AUTO_WATERMARK_INTERVAL_MILLIS} ms), heap state. */
    public JobConfig(int maxParallelism, int batchSize, int channelCapacity, long flushIntervalMillis) {
        this(maxParallelism, batchSize, channelCapacity, flushIntervalMillis, DEFAULT_AUTO_WATERMARK_INTERVAL_MILLIS);
    }

    /** With heap state. */
    public JobConfig(int maxParallelism, int batchSize, int channelCapacity, long flushIntervalMillis,
            long autoWatermarkIntervalMillis) {
        this(maxParallelism, batchSize, channelCapacity, flushIntervalMillis, autoWatermarkIntervalMillis, "heap",
                java.util.Map.of());
    }

    /** With another state backend option set. */
    public JobConfig withStateBackendOption(String key, String value) {
        java.util.Map<String, String> options = new java.util.TreeMap<>(stateBackendOptions);
        options.put(java.util.Objects.requireNonNull(key, "key"), java.util.Objects.requireNonNull(value, "value"));
        return new JobConfig(maxParallelism, batchSize, channelCapacity, flushIntervalMillis, autoWatermarkIntervalMillis,
                stateBackend, options);
    }

    public JobConfig withStateBackend(String value) {
        return new JobConfig(maxParallelism, batchSize, channelCapacity, flushIntervalMillis, autoWatermarkIntervalMillis, value, stateBackendOptions);
    }

    public JobConfig withMaxParallelism(int value) {
        return new JobConfig(value, batchSize, channelCapacity, flushIntervalMillis, autoWatermarkIntervalMillis, stateBackend, stateBackendOptions);
    }

    public JobConfig withBatchSize(int value) {
        return new JobConfig(maxParallelism, value, channelCapacity, flushIntervalMillis, autoWatermarkIntervalMillis, stateBackend, stateBackendOptions);
    }

    public JobConfig withChannelCapacity(int value) {
        return new JobConfig(maxParallelism, batchSize, value, flushIntervalMillis, autoWatermarkIntervalMillis, stateBackend, stateBackendOptions);
    }

    public JobConfig withFlushIntervalMillis(long value) {
        return new JobConfig(maxParallelism, batchSize, channelCapacity, value, autoWatermarkIntervalMillis, stateBackend, stateBackendOptions);
    }

    public JobConfig withAutoWatermarkIntervalMillis(long value) {
        return new JobConfig(maxParallelism, batchSize, channelCapacity, flushIntervalMillis, value, stateBackend, stateBackendOptions);
    }
}
