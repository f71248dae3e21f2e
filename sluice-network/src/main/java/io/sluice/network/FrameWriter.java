package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes frames to one connection on its event loop, flushing once after each burst of writes rather than once per
 * frame: the many channels of a connection share its system calls. Flushing is the network thread's job, never a
 * timer per channel (a 1 ms timer per channel across thousands of channels caused GC storms in Flink, FLINK-8581).
 *
 * <p>Threading: {@link #write} on the connection's event loop only; {@link #execute} from any thread.
 */
final class FrameWriter {
    private final Channel channel;
    private boolean flushScheduled;

    FrameWriter(Channel channel) {
        this.channel = channel;
    }

    /** Queues {@code frame} behind the frames written before it; a closed connection releases it unsent. */
    void write(ByteBuf frame) {
        if (!channel.isActive()) {
            frame.release();
            return;
        }
        channel.write(frame); // a failed write releases the frame; the connection's close reports the cause
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(() -> {
                flushScheduled = false;
                channel.flush();
            });
        }
    }

    /**
     * Runs {@code task} on the connection's event loop, in order with the tasks before it; {@code false} if the
     * network threads have stopped and it will never run.
     */
    boolean execute(Runnable task) {
        try {
            channel.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }
}
