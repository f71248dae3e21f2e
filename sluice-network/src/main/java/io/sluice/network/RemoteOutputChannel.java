package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.RecordBatch;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer's end of a channel whose consumer is in another process. {@link #offer} serializes an element on the
 * producer's thread into one data frame (a record batch too large for one frame into several, each a batch of its
 * own) and queues it; the connection's event loop sends queued frames only against the credits the receiver granted,
 * and reports the backlog when credits run out. {@code offer} waits, bounded by its timeout, while the frames queued
 * already use every credit: that is backpressure, in the same unit as an in-process channel (elements), and what
 * bounds this side's memory to the credits plus one element.
 *
 * <p>Frames leave in the order they were offered (the event loop alone sends them, numbered), so barriers, watermarks
 * and the end of input are never reordered with records. After the end of input is sent the channel is done and
 * leaves its connection.
 *
 * <p>Made by {@link ClientConnection#openOutput}. Threading: {@link #offer} from the producer's thread; {@link #cancel}
 * and the queries from any thread; the rest from the connection's event loop.
 */
public final class RemoteOutputChannel implements Channel {
    private final RemoteChannelId id;
    private final ChannelCodec codec;
    private final ClientConnection connection;
    private final int maxElementBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<ByteBuf> backlog = new ArrayDeque<>(); // guarded by lock: frames waiting for credit
    private int credits; // guarded by lock: granted and not yet used
    private int window; // guarded by lock: the first grant, the receiver's buffers
    private RemoteChannelException failure; // guarded by lock
    private boolean endQueued; // guarded by lock
    private boolean done; // guarded by lock: the end of input was sent
    private volatile int maxInFlight;

    private final AtomicBoolean sendScheduled = new AtomicBoolean();
    private boolean backlogReported; // event loop only
    private long nextSequence; // producer thread only

    RemoteOutputChannel(RemoteChannelId id, ChannelCodec codec, ClientConnection connection, int maxFrameBytes) {
        this.id = id;
        this.codec = codec;
        this.connection = connection;
        this.maxElementBytes = maxFrameBytes - Frames.DATA_HEADER_BYTES;
    }

    public RemoteChannelId id() {
        return id;
    }

    /**
     * Queues {@code element} for sending, waiting up to {@code timeout} while the frames already queued use every
     * credit; {@code false} if that wait ran out (nothing was queued).
     *
     * @throws RemoteChannelException if the channel failed (connection lost, receiver closed it, cancelled) or the
     *                                element cannot be serialized (a record larger than a frame, a serializer error)
     */
    @Override
    public boolean offer(ChannelElement element, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (failure == null && !backlog.isEmpty() && backlog.size() >= credits) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = room.awaitNanos(nanos);
            }
            checkOpen();
        } finally {
            lock.unlock();
        }
        List<ByteBuf> frames = encode(element);
        lock.lock();
        try {
            if (failure != null) {
                frames.forEach(ByteBuf::release);
                throw failure.rethrown();
            }
            backlog.addAll(frames);
            endQueued = element instanceof ControlEvent.EndOfInput;
        } finally {
            lock.unlock();
        }
        if (sendScheduled.compareAndSet(false, true)) {
            connection.execute(this, this::sendAgainstCredit);
        }
        return true;
    }

    private void checkOpen() {
        if (failure != null) {
            throw failure.rethrown();
        }
        if (endQueued) {
            throw new IllegalStateException("an element offered to " + id + " after its end of input");
        }
    }

    private List<ByteBuf> encode(ChannelElement element) {
        List<ByteBuf> frames = new ArrayList<>(1);
        long sequence = nextSequence;
        try {
            if (element instanceof RecordBatch batch) {
                int from = 0;
                do {
                    ByteBuf frame = Frames.beginData(connection.alloc(), id, sequence++, 1024);
                    frames.add(frame);
                    from = codec.encodeBatch(batch, from, frame, maxElementBytes);
                    Frames.finish(frame);
                } while (from < batch.size());
            } else {
                ByteBuf frame = Frames.beginData(connection.alloc(), id, sequence++, 16);
                frames.add(frame);
                codec.encode(element, frame);
                Frames.finish(frame);
            }
        } catch (IOException | RuntimeException e) {
            frames.forEach(ByteBuf::release);
            // the element is lost: the channel must not go on as if the elements after it followed the one before
            RemoteChannelException failure = new RemoteChannelException("cannot send "
                    + element.getClass().getSimpleName() + " of type " + codec.typeName() + " on " + id + " to "
                    + connection.remoteAddress() + ": " + RemoteChannelException.reason(e), e);
            abort(failure);
            throw failure;
        }
        nextSequence = sequence;
        return frames;
    }

    /** Event loop: sends the queued frames the credits allow; reports the backlog once when they run out. */
    private void sendAgainstCredit() {
        sendScheduled.set(false);
        int waiting;
        boolean finished;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            boolean sent = false;
            while (credits > 0 && !backlog.isEmpty()) {
                connection.write(backlog.pollFirst());
                credits--;
                sent = true;
            }
            if (sent) {
                if (window - credits > maxInFlight) {
                    maxInFlight = window - credits; // one event loop writes it
                }
                room.signalAll();
            }
            waiting = backlog.size();
            finished = done = endQueued && waiting == 0;
        } finally {
            lock.unlock();
        }
        if (waiting == 0) {
            backlogReported = false;
        } else if (!backlogReported) {
            backlogReported = true; // the receiver learns that this channel waits, once per wait
            connection.write(Frames.backlog(connection.alloc(), id, waiting));
        }
        if (finished) {
            connection.completed(this);
        }
    }

    /** Event loop: the receiver granted {@code granted} more credits. */
    void addCredits(int granted) {
        if (granted < 1) {
            throw new ProtocolViolation("a grant of " + granted + " credits for " + id);
        }
        lock.lock();
        try {
            if (window == 0) {
                window = granted; // the first grant is the receiver's buffers; later ones give credits back
            }
            credits += granted;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        sendAgainstCredit();
    }

    /** Any thread: the receiver closed the channel. After the end of input was sent that is the normal end. */
    void onReceiverClosed(CloseReason reason) {
        fail(new RemoteChannelException("the receiver at " + connection.remoteAddress() + " closed " + id + ": "
                + reason.description));
    }

    /**
     * Any thread: the channel cannot go on; what waits is dropped and the producer's next offer throws. {@code false}
     * if it had failed already or was done.
     */
    boolean fail(RemoteChannelException cause) {
        List<ByteBuf> dropped;
        lock.lock();
        try {
            if (failure != null || done) {
                return false;
            }
            failure = cause;
            dropped = new ArrayList<>(backlog);
            backlog.clear();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        dropped.forEach(ByteBuf::release);
        return true;
    }

    /**
     * Cancels the channel (its producer failed or was cancelled): what waits is dropped and the receiver is told, so
     * that its consumer fails instead of waiting for an end that will not come. Idempotent; no effect once the end
     * of input was sent.
     */
    public void cancel() {
        abort(new RemoteChannelException(id + " was cancelled by its producer"));
    }

    private void abort(RemoteChannelException cause) {
        if (fail(cause)) {
            connection.cancelled(this);
        }
    }

    /** Never: the producer's end is written, not read. */
    @Override
    public ChannelElement poll() {
        throw new UnsupportedOperationException("the producer's end of " + id + " is written, not read");
    }

    /** Whether every element offered was sent. */
    @Override
    public boolean isEmpty() {
        lock.lock();
        try {
            return backlog.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The receiver's buffers: the credits it granted first (0 until then). */
    @Override
    public int capacity() {
        lock.lock();
        try {
            return window;
        } finally {
            lock.unlock();
        }
    }

    /** The most frames at once that were sent and not yet given back by the receiver; never more than its credits. */
    @Override
    public int maxOccupancy() {
        return maxInFlight;
    }
}
