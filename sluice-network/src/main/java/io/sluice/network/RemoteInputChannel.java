package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.Wakeup;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The consumer's end of a channel whose producer is in another process. It owns {@code credits} buffers: the sender
 * may have at most that many data frames sent and not yet taken by the consumer, so what waits here is bounded by
 * the credits, and a consumer that stops reading stops only its own sender, never the other channels of the
 * connection. Each frame holds one element; {@link #poll} deserializes it on the consumer's thread and gives its
 * credit back. Elements come out in the order they were sent (sequence numbers are checked), so barriers,
 * watermarks and the end of input stay where the producer put them among the records.
 *
 * <p>Made by {@link InputChannels#register}, which binds it to the connection that opens it. Threading: {@link #poll},
 * {@link #isEmpty} and {@link #close} from the consumer's thread; the {@code on...} methods from the connection's
 * event loop; the rest from any thread. The queue's lock is taken once per element, never per record.
 */
public final class RemoteInputChannel implements Channel {
    private final RemoteChannelId id;
    private final ChannelCodec codec;
    private final int credits;
    private final Wakeup consumer;
    private final InputChannels registry;

    private final ArrayDeque<ByteBuf> queue; // guarded by itself: frames' elements, not yet polled
    private final AtomicInteger queued = new AtomicInteger(); // the queue's size, read without the lock
    private boolean released; // guarded by queue
    private ServerConnection connection; // guarded by queue; set once, when a producer opens the channel
    private volatile RemoteChannelException failure;
    private final AtomicInteger unannouncedCredits = new AtomicInteger();

    private long expectedSequence; // event loop only
    private volatile int maxOccupancy;
    private volatile int senderBacklog;
    private boolean ended; // consumer thread only: end of input delivered

    RemoteInputChannel(RemoteChannelId id, ChannelCodec codec, int credits, Wakeup consumer, InputChannels registry) {
        this.id = id;
        this.codec = codec;
        this.credits = credits;
        this.consumer = consumer;
        this.registry = registry;
        this.queue = new ArrayDeque<>(credits);
    }

    public RemoteChannelId id() {
        return id;
    }

    /** Never: the consumer's end is read, not written. */
    @Override
    public boolean offer(ChannelElement element, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("the consumer's end of " + id + " is read, not written");
    }

    /**
     * The next element, or {@code null} if none is here now (or the channel was closed).
     *
     * @throws RemoteChannelException once every element that arrived was taken, if the channel failed before its end
     *                                of input (connection lost, producer cancelled, attempt superseded), or if an
     *                                element cannot be read
     */
    @Override
    public ChannelElement poll() {
        ByteBuf frame;
        ServerConnection from;
        synchronized (queue) {
            frame = queue.poll();
            from = connection;
        }
        if (frame == null) {
            RemoteChannelException f = failure;
            if (f != null && !ended) {
                throw f.rethrown();
            }
            return null;
        }
        queued.decrementAndGet();
        ChannelElement element;
        try {
            element = codec.decode(frame);
        } catch (IOException | RuntimeException e) {
            throw new RemoteChannelException("cannot read an element of " + id + " from " + from.remoteAddress()
                    + " as " + codec.typeName() + ": " + RemoteChannelException.reason(e), e);
        } finally {
            frame.release();
        }
        if (element instanceof ControlEvent.EndOfInput) {
            ended = true;
        }
        if (unannouncedCredits.getAndIncrement() == 0) {
            from.announceCredits(this); // one task takes every credit returned until it runs
        }
        return element;
    }

    /** Whether a {@link #poll} now would return nothing; a failed channel is not empty: polling it throws. */
    @Override
    public boolean isEmpty() {
        return queued.get() == 0 && (failure == null || ended);
    }

    /** The credits: how many elements may be sent and not yet taken. */
    @Override
    public int capacity() {
        return credits;
    }

    /** The most elements that waited here at once; never more than the credits. */
    @Override
    public int maxOccupancy() {
        return maxOccupancy;
    }

    /** Frames waiting at the sender for credit, as it last reported. */
    public int senderBacklog() {
        return senderBacklog;
    }

    /**
     * Releases the channel: what waits is dropped, the sender is told to stop, the registration ends. The consumer
     * calls it when it is done, also after the end of input. Idempotent.
     */
    public void close() {
        release(CloseReason.RELEASED, null);
        registry.unregister(this);
    }

    /**
     * Registry: the channel ends before its consumer is done with it ({@code reason} tells the sender why); the
     * consumer gets {@code cause} on its next poll.
     */
    void release(CloseReason reason, RemoteChannelException cause) {
        if (cause != null) {
            fail(cause);
        }
        ServerConnection from;
        List<ByteBuf> dropped;
        synchronized (queue) {
            if (released) {
                return;
            }
            released = true;
            from = connection;
            dropped = drain();
        }
        dropped.forEach(ByteBuf::release);
        if (from != null) {
            from.unbind(this, reason);
        }
    }

    private List<ByteBuf> drain() {
        List<ByteBuf> dropped = new ArrayList<>(queue);
        queue.clear();
        queued.set(0);
        return dropped;
    }

    int unannouncedCredits() {
        return unannouncedCredits.getAndSet(0);
    }

    /**
     * Event loop: a producer opened the channel on {@code from}. {@code null} if it is bound now, otherwise why it
     * cannot be: it was released meanwhile, or another opening has it.
     */
    CloseReason bind(ServerConnection from) {
        synchronized (queue) {
            if (released) {
                return CloseReason.RELEASED;
            }
            if (connection != null) {
                return CloseReason.DUPLICATE;
            }
            connection = from;
            return null;
        }
    }

    /** Event loop: the element of data frame {@code sequence}, which this channel now owns. */
    void onData(long sequence, ByteBuf element) {
        if (sequence != expectedSequence) {
            element.release();
            throw new ProtocolViolation("data frame " + sequence + " of " + id + " where " + expectedSequence
                    + " was due");
        }
        expectedSequence++;
        int occupied;
        synchronized (queue) {
            if (released) {
                element.release();
                return;
            }
            if (queue.size() >= credits) {
                element.release();
                throw new ProtocolViolation("a data frame of " + id + " beyond its " + credits + " credits");
            }
            queue.addLast(element);
            occupied = queued.incrementAndGet();
        }
        if (occupied > maxOccupancy) {
            maxOccupancy = occupied; // one event loop writes it
        }
        consumer.wake();
    }

    /** Event loop: the sender's backlog. */
    void onBacklog(int frames) {
        senderBacklog = frames;
    }

    /** Any thread: the channel cannot go on; the consumer gets {@code cause} once it took what arrived before. */
    void fail(RemoteChannelException cause) {
        synchronized (queue) {
            if (failure == null) {
                failure = cause; // the first cause is the one the consumer hears of
            }
        }
        consumer.wake();
    }

    int credits() {
        return credits;
    }
}
