package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer's end of a channel whose producer is in another process. It owns {@code credits} buffers, reserved in
 * its process's {@link NetworkBufferPool} while it is registered: the sender may have at most that many data frames
 * of at most one buffer each sent and not yet given back, so what is in flight and waits here is bounded by the
 * credits in bytes, and a consumer that stops reading stops only its own sender, never the other channels of the
 * connection. A frame holds one element, which {@link #poll} deserializes on the consumer's thread before giving the
 * frame's credit back, or a piece of an element larger than a buffer: the event loop copies each piece into the
 * channel's assembly buffer on the heap (bounded by the record limit) and gives its credit back at once, so an
 * element of any size passes even with one credit (as Flink's spanning-record deserializer does); the last piece's
 * frame takes the assembled element's place in the queue. Elements come out in the order they were sent (sequence
 * numbers are checked), so barriers, watermarks and the end of input stay where the producer put them.
 *
 * <p>Beside its credits the channel may borrow its consuming task's {@link FloatingBuffers} while its sender reports
 * a backlog, granting each as one more credit, and gives one back instead of a credit to its sender when its consumer
 * has taken every element that arrived and the last frame said nothing more waited behind it ({@link Frames#BACKLOG}).
 * So what is in flight and waits here is bounded by the credits and the buffers borrowed, which the consuming task
 * reserved. A credit granted to a sender that then stays idle stays with the channel until a frame uses it or the
 * channel ends.
 *
 * <p>Made by {@link InputChannels#register}, which binds it to the connection that opens it. Threading: {@link #poll},
 * {@link #isEmpty} and {@link #close} from the consumer's thread; the {@code on...} methods from the connection's
 * event loop; the rest from any thread. The queue's lock is taken once per element, never per record.
 */
public final class RemoteInputChannel implements Channel {
    private final RemoteChannelId id;
    private final ChannelCodec codec;
    private final int credits;
    private final FloatingBuffers floating;
    private final AtomicInteger borrowed = new AtomicInteger(); // floating buffers held: granted or holding a frame
    private final Wakeup consumer;
    private final InputChannels registry;
    private final NetworkBufferPool pool;
    private final int bufferBytes;
    private final int maxRecordBytes;

    private final ArrayDeque<ByteBuf> queue; // guarded by itself: frames' elements, not yet polled
    private final AtomicInteger queued = new AtomicInteger(); // the queue's size, read without the lock
    private boolean released; // guarded by queue
    private ServerConnection connection; // guarded by queue; set once, when a producer opens the channel
    private volatile RemoteChannelException failure;
    private final AtomicInteger unannouncedCredits = new AtomicInteger();

    private long expectedSequence; // event loop only
    // event loop only: the pieces so far of an element larger than a buffer (heap: left to the garbage collector
    // if the channel is released half way)
    private ByteBuf assembly;
    private final AtomicLong heldBytes = new AtomicLong(); // element bytes received, credit not yet given back
    private volatile long maxHeldBytes;
    private volatile int maxOccupancy;
    private volatile int senderBacklog;
    private volatile boolean senderAhead; // the last data frame said more waited behind it at the sender
    private boolean ended; // consumer thread only: end of input delivered

    /** Registers the channel, reserving its credits in {@code pool}; see {@link NetworkBufferPool#reserve}. */
    RemoteInputChannel(RemoteChannelId id, ChannelCodec codec, int credits, FloatingBuffers floating, Wakeup consumer,
            InputChannels registry, NetworkBufferPool pool, int maxRecordBytes) {
        this.id = id;
        this.codec = codec;
        this.credits = credits;
        this.floating = floating;
        this.consumer = consumer;
        this.registry = registry;
        this.pool = pool;
        this.bufferBytes = pool.bufferBytes();
        this.maxRecordBytes = maxRecordBytes;
        this.queue = new ArrayDeque<>(credits);
        pool.reserve(credits, id, "consumer's end");
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
        boolean drained = queued.decrementAndGet() == 0;
        heldBytes.addAndGet(-counted(frame));
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
        // the consumer caught up with a sender that has nothing more waiting: a borrowed buffer would sit idle, so
        // it goes back to the task for its other channels
        if (!drained || senderAhead || !returnBorrowed()) {
            giveBack(from);
        }
        return element;
    }

    /** Gives one credit back to the sender on {@code from}. */
    private void giveBack(ServerConnection from) {
        grant(from, 1);
    }

    private void grant(ServerConnection from, int more) {
        if (unannouncedCredits.getAndAdd(more) == 0) {
            from.announceCredits(this); // one task takes every credit returned until it runs
        }
    }

    /** Gives one borrowed floating buffer back to the task, if the channel holds one. */
    private boolean returnBorrowed() {
        if (FloatingBuffers.takeUpTo(borrowed, 1) == 0) {
            return false;
        }
        floating.giveBack(1);
        return true;
    }

    /**
     * The bytes a queued frame counts for in {@link #maxHeldBytes}: its element's, but one buffer for an assembled
     * element, which took the place of its last piece (at most a buffer) in the queue.
     */
    private int counted(ByteBuf frame) {
        return Math.min(frame.readableBytes(), bufferBytes);
    }

    /** Whether a {@link #poll} now would return nothing; a failed channel is not empty: polling it throws. */
    @Override
    public boolean isEmpty() {
        return queued.get() == 0 && (failure == null || ended);
    }

    /** How many elements may be sent and not yet taken at most: the credits and every floating buffer of the task. */
    @Override
    public int capacity() {
        return credits + floating.total();
    }

    /** The most elements that waited here at once; never more than the credits and the buffers borrowed. */
    @Override
    public int maxOccupancy() {
        return maxOccupancy;
    }

    /**
     * The most element bytes at once that arrived and whose credit was not yet given back (an assembled element
     * counting one buffer, for its last piece): never more than the credits and the buffers borrowed times the
     * buffer size.
     */
    public long maxHeldBytes() {
        return maxHeldBytes;
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
        pool.release(credits);
        floating.giveBack(borrowed.getAndSet(0));
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

    /**
     * Event loop: the element bytes of data frame {@code sequence}, which this channel now owns: a whole element, or
     * with {@link Frames#MORE} in {@code flags} a piece of one that the next frames continue.
     */
    void onData(long sequence, byte flags, ByteBuf element) {
        if (sequence != expectedSequence) {
            element.release();
            throw new ProtocolViolation("data frame " + sequence + " of " + id + " where " + expectedSequence
                    + " was due");
        }
        expectedSequence++;
        senderAhead = (flags & Frames.BACKLOG) != 0;
        hold(element.readableBytes());
        if (assembly != null || (flags & Frames.MORE) != 0) {
            element = assemble(flags, element);
            if (element == null) {
                return;
            }
        }
        int occupied;
        synchronized (queue) {
            if (released) {
                element.release();
                return;
            }
            if (queue.size() >= credits + borrowed.get()) {
                element.release();
                throw new ProtocolViolation("a data frame of " + id + " beyond its " + credits + " credits and "
                        + borrowed.get() + " floating buffers");
            }
            queue.addLast(element);
            occupied = queued.incrementAndGet();
        }
        if (occupied > maxOccupancy) {
            maxOccupancy = occupied; // one event loop writes it
        }
        consumer.wake();
    }

    /** Event loop: {@code bytes} more are held against the credits. */
    private void hold(int bytes) {
        long held = heldBytes.addAndGet(bytes);
        if (held > maxHeldBytes) {
            maxHeldBytes = held; // one event loop writes it
        }
    }

    /**
     * Event loop: copies a piece of a spanning element into the assembly buffer; the whole element once its last
     * piece came, else {@code null} (the piece's credit was given back).
     */
    private ByteBuf assemble(byte flags, ByteBuf piece) {
        int bytes = piece.readableBytes();
        try {
            if (assembly == null) {
                assembly = Unpooled.buffer(Math.max(2 * bufferBytes, bytes), maxRecordBytes);
            }
            if (bytes > assembly.maxWritableBytes()) {
                throw new ProtocolViolation("an element of " + id + " longer than the record limit of "
                        + maxRecordBytes + " bytes");
            }
            assembly.writeBytes(piece);
        } finally {
            piece.release();
        }
        if ((flags & Frames.MORE) != 0) {
            heldBytes.addAndGet(-bytes);
            ServerConnection from;
            synchronized (queue) {
                from = connection;
            }
            giveBack(from);
            return null;
        }
        ByteBuf whole = assembly;
        assembly = null;
        hold(counted(whole) - bytes); // the queue counts it as one buffer, see counted
        return whole;
    }

    /**
     * Event loop: the sender ran out of credit with {@code frames} waiting; the channel borrows as many of its task's
     * floating buffers as are free, up to that many, and grants them.
     */
    void onBacklog(int frames) {
        senderBacklog = frames;
        int granted = floating.borrow(frames);
        if (granted == 0) {
            return;
        }
        borrowed.addAndGet(granted);
        ServerConnection from;
        synchronized (queue) {
            from = released ? null : connection;
        }
        if (from == null) { // released meanwhile: what it borrowed went back already, or goes back now
            floating.giveBack(borrowed.getAndSet(0));
        } else {
            grant(from, granted);
        }
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
