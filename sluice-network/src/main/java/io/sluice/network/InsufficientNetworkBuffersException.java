package io.sluice.network;

/**
 * A channel cannot open: its process's {@link NetworkBufferPool} has fewer free buffers than the channel needs. The
 * message names the channel (job, attempt, edge, producer, consumer), the numbers and the remedy.
 */
public final class InsufficientNetworkBuffersException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    InsufficientNetworkBuffersException(RemoteChannelId channel, String end, int needed, int free, int total,
            int bufferBytes) {
        super("insufficient network buffers for the " + end + " of " + channel + ": it needs " + needed + " buffer(s)"
                + " of " + (bufferBytes >> 10) + " KiB, " + free + " of the worker's " + total + " are free ("
                + mib((long) total * bufferBytes) + " of network memory); raise the worker's --memory (the network"
                + " gets 10 % of it) or lower the job's parallelism");
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
