package io.sluice.runtime.config;

/**
 * How the engine moves records between tasks: tuning of whoever runs jobs, not part of any job. The embedded cluster
 * takes it when it is created ({@code new LocalExecutor(engineConfig)}; found through the {@code ServiceLoader}, it uses
 * {@link #defaults()}), and every job it runs gets the same; worker processes will read it from their own
 * configuration. None of these settings changes a job's results, only its memory, latency and throughput.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return changed copies and reject invalid values with an
 * {@link IllegalArgumentException} naming the setting.
 *
 * @param batchSize           records per channel batch
 * @param channelCapacity     batches a channel holds before its producer waits (backpressure); an edge buffers at most
 *                            {@code producers × consumers × channelCapacity × batchSize} records
 * @param flushIntervalMillis longest time a partly filled batch waits before it is sent; 0 sends it at once
 */
public record EngineConfig(int batchSize, int channelCapacity, long flushIntervalMillis) {

    public EngineConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1 record, was " + batchSize);
        }
        if (channelCapacity < 1) {
            throw new IllegalArgumentException("the channel capacity must be at least 1 batch, was " + channelCapacity);
        }
        if (flushIntervalMillis < 0) {
            throw new IllegalArgumentException("the flush interval must not be negative, was " + flushIntervalMillis + " ms");
        }
    }

    /**
     * Batches of 512 records, 8 batches per channel, partly filled batches sent after at most 100 ms (unless the job
     * says otherwise: {@code JobConfig.flushTimeoutMillis}).
     */
    public static EngineConfig defaults() {
        return new EngineConfig(512, 8, 100);
    }

    /**
     * These settings for a job whose own flush timeout is {@code jobFlushTimeoutMillis} ({@code -1}: none, this
     * engine's applies): that timeout, and with a timeout of 0 batches of one record, each sent as it is emitted.
     */
    public EngineConfig forJob(long jobFlushTimeoutMillis) {
        long flush = jobFlushTimeoutMillis < 0 ? flushIntervalMillis : jobFlushTimeoutMillis;
        return new EngineConfig(flush == 0 ? 1 : batchSize, channelCapacity, flush);
    }

    public EngineConfig withBatchSize(int records) {
        return new EngineConfig(records, channelCapacity, flushIntervalMillis);
    }

    public EngineConfig withChannelCapacity(int batches) {
        return new EngineConfig(batchSize, batches, flushIntervalMillis);
    }

    public EngineConfig withFlushIntervalMillis(long millis) {
        return new EngineConfig(batchSize, channelCapacity, millis);
    }
}
