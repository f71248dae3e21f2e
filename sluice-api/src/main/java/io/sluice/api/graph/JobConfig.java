package io.sluice.api.graph;

import java.io.Serializable;

/**
 * Settings of a job that change what it computes, how its state is kept or how long its records may wait, and travel
 * with its graph. How the engine moves records otherwise (batch size, channel capacity) is not here: that is tuning of
 * whoever runs the job (the local executor's {@code EngineConfig} in sluice-runtime), not part of the job.
 *
 * @param maxParallelism  number of key groups; the upper bound of any operator's parallelism
 * @param autoWatermarkIntervalMillis how often watermark generators are asked for a periodic watermark (and silent
 *                        inputs checked for idleness); 0 turns periodic emission off
 * @param stateBackend    where keyed state lives: {@code heap} (default) or {@code rocksdb} (needs sluice-state-rocksdb)
 * @param stateBackendOptions options the chosen backend reads (e.g. {@code rocksdb.memory=256mb},
 *                        {@code rocksdb.incremental=false}); a backend rejects keys of its own prefix it does not know
 * @param flushTimeoutMillis the longest a record waits in a partly filled batch before it is sent downstream (to a
 *                        task in the same process or over the network): lower is lower latency, higher is fewer and
 *                        fuller batches; 0 sends every record at once, alone; {@link #ENGINE_FLUSH_TIMEOUT} (-1) leaves
 *                        it to whoever runs the job (100 ms by default, as Flink's buffer timeout). Full batches, and
 *                        barriers, watermarks and the end of input, are sent at once whatever this is
 */
public record JobConfig(int maxParallelism, long autoWatermarkIntervalMillis, String stateBackend,
        java.util.Map<String, String> stateBackendOptions, long flushTimeoutMillis) implements Serializable {

    /** {@link #flushTimeoutMillis} left to the engine running the job. */
    public static final long ENGINE_FLUSH_TIMEOUT = -1;

    /** The default of {@link #autoWatermarkIntervalMillis}. */
    public static final long DEFAULT_AUTO_WATERMARK_INTERVAL_MILLIS = 200;

    /** 128 key groups, watermarks every {@value #DEFAULT_AUTO_WATERMARK_INTERVAL_MILLIS} ms, heap state. */
    public static JobConfig defaults() {
        return new JobConfig(128, DEFAULT_AUTO_WATERMARK_INTERVAL_MILLIS, "heap", java.util.Map.of());
    }

    /** A configuration whose flush timeout is the engine's. */
    public JobConfig(int maxParallelism, long autoWatermarkIntervalMillis, String stateBackend,
            java.util.Map<String, String> stateBackendOptions) {
        this(maxParallelism, autoWatermarkIntervalMillis, stateBackend, stateBackendOptions, ENGINE_FLUSH_TIMEOUT);
    }

    public JobConfig {
        if (maxParallelism < 1 || maxParallelism > 32768) {
            throw new IllegalArgumentException("maxParallelism must be in 1..32768, was " + maxParallelism);
        }
        java.util.Objects.requireNonNull(stateBackend, "stateBackend");
        // A sorted copy: serializable, immutable to callers, equal when the options are.
        stateBackendOptions = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(stateBackendOptions));
        if (autoWatermarkIntervalMillis < 0) {
            throw new IllegalArgumentException("autoWatermarkIntervalMillis must not be negative, was " + autoWatermarkIntervalMillis);
        }
        if (flushTimeoutMillis < ENGINE_FLUSH_TIMEOUT) {
            throw new IllegalArgumentException("the flush timeout must not be negative, was " + flushTimeoutMillis + " ms");
        }
    }

    /** With another state backend option set. */
    public JobConfig withStateBackendOption(String key, String value) {
        java.util.Map<String, String> options = new java.util.TreeMap<>(stateBackendOptions);
        options.put(java.util.Objects.requireNonNull(key, "key"), java.util.Objects.requireNonNull(value, "value"));
        return new JobConfig(maxParallelism, autoWatermarkIntervalMillis, stateBackend, options, flushTimeoutMillis);
    }

    public JobConfig withStateBackend(String value) {
        return new JobConfig(maxParallelism, autoWatermarkIntervalMillis, value, stateBackendOptions, flushTimeoutMillis);
    }

    public JobConfig withMaxParallelism(int value) {
        return new JobConfig(value, autoWatermarkIntervalMillis, stateBackend, stateBackendOptions, flushTimeoutMillis);
    }

    public JobConfig withAutoWatermarkIntervalMillis(long value) {
        return new JobConfig(maxParallelism, value, stateBackend, stateBackendOptions, flushTimeoutMillis);
    }

    /** With the flush timeout {@code timeout} (zero: every record at once); see {@link #flushTimeoutMillis}. */
    public JobConfig withFlushTimeout(java.time.Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the flush timeout must not be negative, was " + timeout);
        }
        return new JobConfig(maxParallelism, autoWatermarkIntervalMillis, stateBackend, stateBackendOptions,
                timeout.toMillis());
    }
}
