package io.sluice.runtime.config;

/**
 * How the engine moves records between tasks: tuning of whoever runs jobs, not part of any job. The embedded cluster
 * takes it when it is created ({@code new LocalExecutor(engineConfig)}; found through the {@code ServiceLoader}, it uses
 * {@link #defaults()}), and every job it runs gets the same; a worker of a cluster derives it from its network's
 * settings. None of these settings changes a job's results, only its memory, latency and throughput.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return changed copies and reject invalid values with an
 * {@link IllegalArgumentException} naming the setting.
 *
 * <p>Channels are bounded in buffers: a batch holds at most {@code batchSize} records and, serialized, at most
 * {@code bufferBytes} (in process records are never serialized: the size is known or estimated per edge, see
 * {@link io.sluice.runtime.channel.BatchSizer}), and a channel holds {@code channelCapacity} batches. A worker of a
 * cluster takes its network's buffer size and gives an in-process channel the buffers a network channel holds, so a
 * job holds the same records in flight wherever its tasks are placed (docs/distributed.md §2.6).
 *
 * @param batchSize           records per channel batch, at most
 * @param bufferBytes         serialized bytes per channel batch, at most: the size of one buffer
 * @param channelCapacity     batches (buffers) a channel holds before its producer waits (backpressure); an edge buffers
 *                            at most {@code producers × consumers × channelCapacity} buffers, each of at most
 *                            {@code batchSize} records
 * @param flushIntervalMillis longest time a partly filled batch waits before it is sent; 0 sends it at once
 */
public record EngineConfig(int batchSize, int bufferBytes, int channelCapacity, long flushIntervalMillis) {

    /** The buffer of the embedded cluster and of a cluster's network: 8 KiB (docs/distributed.md §5 says why). */
    public static final int DEFAULT_BUFFER_BYTES = 8 << 10;

    public EngineConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1 record, was " + batchSize);
        }
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("the buffer size must be at least 1 byte, was " + bufferBytes);
        }
        if (channelCapacity < 1) {
            throw new IllegalArgumentException("the channel capacity must be at least 1 batch, was " + channelCapacity);
        }
        if (flushIntervalMillis < 0) {
            throw new IllegalArgumentException("the flush interval must not be negative, was " + flushIntervalMillis + " ms");
        }
    }

    /**
     * Batches of at most 512 records and 8 KiB, 8 batches per channel, partly filled batches sent after at most 100 ms
     * (unless the job says otherwise: {@code JobConfig.flushTimeoutMillis}). The embedded cluster's: the same unit as
     * a cluster's network, but 8 buffers per channel where a cluster's channels hold 3 (2 credits and the one waiting
     * at the producer), as the embedded cluster held 8 batches before batches were bounded in bytes: in one JVM a
     * buffer costs no network memory, and a deeper queue lets a producer and a consumer that share cores each run
     * longer before the other must run.
     */
    public static EngineConfig defaults() {
        return new EngineConfig(512, DEFAULT_BUFFER_BYTES, 8, 100);
    }

    /**
     * These settings for a job whose own flush timeout is {@code jobFlushTimeoutMillis} ({@code -1}: none, this
     * engine's applies): that timeout, and with a timeout of 0 batches of one record, each sent as it is emitted.
     */
    public EngineConfig forJob(long jobFlushTimeoutMillis) {
        long flush = jobFlushTimeoutMillis < 0 ? flushIntervalMillis : jobFlushTimeoutMillis;
        return new EngineConfig(flush == 0 ? 1 : batchSize, bufferBytes, channelCapacity, flush);
    }

    public EngineConfig withBatchSize(int records) {
        return new EngineConfig(records, bufferBytes, channelCapacity, flushIntervalMillis);
    }

    public EngineConfig withBufferBytes(int bytes) {
        return new EngineConfig(batchSize, bytes, channelCapacity, flushIntervalMillis);
    }

    public EngineConfig withChannelCapacity(int batches) {
        return new EngineConfig(batchSize, bufferBytes, batches, flushIntervalMillis);
    }

    public EngineConfig withFlushIntervalMillis(long millis) {
        return new EngineConfig(batchSize, bufferBytes, channelCapacity, millis);
    }
}
