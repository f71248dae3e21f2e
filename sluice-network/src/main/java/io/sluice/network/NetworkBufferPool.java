package io.sluice.network;

/**
 * The network memory of one process, counted in buffers of one fixed size: every remote channel reserves the buffers
 * it may hold when it opens and gives them back when it ends, so the data plane's memory is bounded by this pool and
 * a shortage shows as one clear error at deployment, never as a hang or an out-of-memory error later.
 *
 * <p>What a channel reserves: the consumer's end its credits (each credit lets the sender have one frame of at most
 * {@link #bufferBytes()} in flight); the producer's end one buffer, for the element that waits for credit (frames
 * sent against credit are counted by the receiver that granted it). The pool is an account, not an allocator: Netty
 * allocates the frames; reservations make sure their number stays within the budget.
 *
 * <p>Thread-safe; one lock taken per reservation and release (a channel's opening and end), never per frame.
 */
public final class NetworkBufferPool {
    private final int bufferBytes;
    private final int totalBuffers;
    private int reserved; // guarded by this

    /** A pool of {@code totalBuffers} buffers of {@code bufferBytes} each. */
    public NetworkBufferPool(int bufferBytes, int totalBuffers) {
        if (bufferBytes < 1 || totalBuffers < 0) {
            throw new IllegalArgumentException("a pool of " + totalBuffers + " buffers of " + bufferBytes + " bytes");
        }
        this.bufferBytes = bufferBytes;
        this.totalBuffers = totalBuffers;
    }

    /** The pool {@code config} describes: its network memory in buffers of its buffer size. */
    public static NetworkBufferPool of(NetworkConfig config) {
        return new NetworkBufferPool(config.bufferBytes(),
                (int) Math.min(Integer.MAX_VALUE, config.networkMemoryBytes() / config.bufferBytes()));
    }

    /**
     * Reserves {@code buffers} for {@code channel}.
     *
     * @param end which end of the channel, for the message ("consumer's end", "producer's end")
     * @throws InsufficientNetworkBuffersException if fewer than {@code buffers} are free; nothing is reserved then
     */
    public synchronized void reserve(int buffers, RemoteChannelId channel, String end) {
        if (buffers < 0) {
            throw new IllegalArgumentException("a reservation of " + buffers + " buffers for " + channel);
        }
        if (totalBuffers - reserved < buffers) {
            throw new InsufficientNetworkBuffersException(channel, end, buffers, totalBuffers - reserved, totalBuffers,
                    bufferBytes);
        }
        reserved += buffers;
    }

    /** Gives back {@code buffers} reserved before. */
    public synchronized void release(int buffers) {
        if (buffers < 0 || buffers > reserved) {
            throw new IllegalStateException("releasing " + buffers + " network buffers of " + reserved + " reserved");
        }
        reserved -= buffers;
    }

    /** Buffers reserved by open channels now (for status and, later, a metric). */
    public synchronized int used() {
        return reserved;
    }

    /** Buffers free now. */
    public synchronized int free() {
        return totalBuffers - reserved;
    }

    /** Buffers in the pool. */
    public int total() {
        return totalBuffers;
    }

    /** The size of one buffer: the most element bytes one data frame carries. */
    public int bufferBytes() {
        return bufferBytes;
    }

    @Override
    public String toString() {
        return "network buffers: " + used() + " of " + totalBuffers + " used (" + (bufferBytes >> 10) + " KiB each)";
    }
}
