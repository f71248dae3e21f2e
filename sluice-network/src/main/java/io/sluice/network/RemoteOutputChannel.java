package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * producer's thread into data frames of at most one network buffer of element bytes each (a record batch larger than
 * a buffer into several frames, each a batch of its own; a single record larger than a buffer into a heap buffer that
 * is cut into frames as credits arrive, see {@link SpanningElement}) and queues them; the connection's event loop sends
 * queued frames only against the credits the receiver granted, one credit per frame, and reports the backlog when
 * credits run out. So what is in flight on the channel is at most its credits in buffers, in bytes too: the
 * receiver's reservation. {@code offer} waits, bounded by its timeout, while the frames queued already use every
 * credit: that is backpressure.
 *
 * <p>Memory: the channel reserves one buffer of its process's {@link NetworkBufferPool} while it is open, for the
 * element waiting for credit; it gives it back when its end of input was sent, or when it fails or is cancelled.
 *
 * <p>Frames leave in the order they were offered (the event loop alone sends them, numbered as they leave), so
 * barriers, watermarks and the end of input are never reordered with records. After the end of input is sent the
 * channel is done and leaves its connection.
 *
 * <p>Made by {@link ClientConnection#openOutput}. Threading: {@link #offer} from the producer's thread; {@link #cancel}
 * and the queries from any thread; the rest from the connection's event loop.
 */
public final class RemoteOutputChannel implements Channel {
    /** The buffers a producer's end reserves: the element waiting for credit. */
    static final int RESERVED_BUFFERS = 1;

    private final RemoteChannelId id;
    private final ChannelCodec codec;
    private final ClientConnection connection;
    private final NetworkBufferPool pool;
    private final int bufferBytes;
    private final int maxRecordBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<Object> backlog = new ArrayDeque<>(); // guarded by lock: frames and spanning elements
    private int credits; // guarded by lock: granted and not yet used
    private int window; // guarded by lock: the first grant, the receiver's buffers
    private RemoteChannelException failure; // guarded by lock
    private boolean endQueued; // guarded by lock
    private boolean done; // guarded by lock: the end of input was sent
    private boolean reserved = true; // guarded by lock: holds its buffer of the pool
    private volatile int maxInFlight;

    private final AtomicBoolean sendScheduled = new AtomicBoolean();
    private boolean backlogReported; // event loop only
    private long nextSequence; // event loop only
    private final InFlight inFlight = new InFlight(); // guarded by lock

    /** Opens the channel, reserving its buffer of {@code pool}; see {@link NetworkBufferPool#reserve}. */
    RemoteOutputChannel(RemoteChannelId id, ChannelCodec codec, ClientConnection connection, NetworkBufferPool pool,
            int maxRecordBytes) {
        this.id = id;
        this.codec = codec;
        this.connection = connection;
        this.pool = pool;
        this.bufferBytes = pool.bufferBytes();
        this.maxRecordBytes = maxRecordBytes;
        pool.reserve(RESERVED_BUFFERS, id, "producer's end");
    }

    public RemoteChannelId id() {
        return id;
    }

    /**
     * Queues {@code element} for sending, waiting up to {@code timeout} while the frames already queued use every
     * credit; {@code false} if that wait ran out (nothing was queued).
     *
     * @throws RemoteChannelException if the channel failed (connection lost, receiver closed it, cancelled) or the
     *                                element cannot be serialized (a record larger than the record limit, a
     *                                serializer error)
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
        List<Object> parts = encode(element);
        lock.lock();
        try {
            if (failure != null) {
                parts.forEach(RemoteOutputChannel::release);
                throw failure.rethrown();
            }
            backlog.addAll(parts);
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

    /** Producer thread: the frames of {@code element}, and a {@link SpanningElement} for a record over a buffer. */
    private List<Object> encode(ChannelElement element) {
        List<Object> parts = new ArrayList<>(1);
        try {
            if (element instanceof RecordBatch batch) {
                int from = 0;
                do {
                    // room for two buffers: any record of at most one buffer fits after a part's last one
                    ByteBuf frame = Frames.beginCappedData(connection.alloc(), id, Math.min(bufferBytes, 1024),
                            2 * bufferBytes);
                    parts.add(frame);
                    int next = codec.encodeBatch(batch, from, frame, bufferBytes);
                    int bytes = frame.writerIndex() - Frames.DATA_PAYLOAD_OFFSET;
                    if ((next == from && from < batch.size()) || bytes > bufferBytes) { // a record over a buffer
                        parts.removeLast();
                        parts.add(spanning(batch, from, frame, next == from));
                        next = from + 1;
                    } else {
                        Frames.finish(frame);
                    }
                    from = next;
                } while (from < batch.size());
            } else {
                ByteBuf frame = Frames.beginData(connection.alloc(), id, (byte) 0, 16);
                parts.add(frame);
                codec.encode(element, frame);
                Frames.finish(frame);
            }
        } catch (IOException | RuntimeException e) {
            parts.forEach(RemoteOutputChannel::release);
            // the element is lost: the channel must not go on as if the elements after it followed the one before
            RemoteChannelException failure = new RemoteChannelException("cannot send "
                    + element.getClass().getSimpleName() + " of type " + codec.typeName() + " on " + id + " to "
                    + connection.remoteAddress() + ": " + RemoteChannelException.reason(e), e);
            abort(failure);
            throw failure;
        }
        return parts;
    }

    /**
     * The record at {@code index} of {@code batch}, alone, on the heap: copied from {@code frame} if it holds it
     * whole, else serialized again into a buffer that may grow to the record limit. Releases {@code frame}.
     */
    private SpanningElement spanning(RecordBatch batch, int index, ByteBuf frame, boolean serializeAgain)
            throws IOException {
        ByteBuf heap;
        try {
            if (serializeAgain) {
                heap = Unpooled.buffer(Math.min(4 * bufferBytes, maxRecordBytes), maxRecordBytes);
                try {
                    if (codec.encodeBatch(batch, index, heap, 0) == index) { // maxBytes 0: exactly one record
                        throw new IOException("record " + (index + 1) + " of a batch of " + batch.size() + " is larger"
                                + " than the limit of " + maxRecordBytes + " bytes for one record (or its serializer"
                                + " failed with an IndexOutOfBoundsException)");
                    }
                } catch (IOException | RuntimeException e) {
                    heap.release();
                    throw e;
                }
            } else {
                int bytes = frame.writerIndex() - Frames.DATA_PAYLOAD_OFFSET;
                heap = Unpooled.buffer(bytes, bytes).writeBytes(frame, Frames.DATA_PAYLOAD_OFFSET, bytes);
            }
        } finally {
            frame.release();
        }
        return new SpanningElement(heap);
    }

    private static void release(Object part) {
        if (part instanceof ByteBuf frame) {
            frame.release();
        } else {
            ((SpanningElement) part).release();
        }
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
                ByteBuf frame;
                if (backlog.peekFirst() instanceof SpanningElement big) {
                    frame = big.nextFrame(connection.alloc(), id, bufferBytes);
                    if (big.sent()) {
                        backlog.pollFirst();
                        big.release();
                    }
                } else {
                    frame = (ByteBuf) backlog.pollFirst();
                }
                frame.setLong(Frames.SEQUENCE_OFFSET, nextSequence++);
                if (!backlog.isEmpty()) { // the receiver learns that this channel is ahead of its credits
                    frame.setByte(Frames.FLAGS_OFFSET, frame.getByte(Frames.FLAGS_OFFSET) | Frames.BACKLOG);
                }
                inFlight.sent(frame.readableBytes() - Frames.DATA_PAYLOAD_OFFSET);
                connection.write(frame);
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
            if (finished) {
                releaseReservation();
            }
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
            } else {
                inFlight.returned(granted);
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
     * Any thread: the channel cannot go on; what waits is dropped, its buffer goes back to the pool and the
     * producer's next offer throws. {@code false} if it had failed already or was done.
     */
    boolean fail(RemoteChannelException cause) {
        List<Object> dropped;
        lock.lock();
        try {
            if (failure != null || done) {
                return false;
            }
            failure = cause;
            dropped = new ArrayList<>(backlog);
            backlog.clear();
            releaseReservation();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        dropped.forEach(RemoteOutputChannel::release);
        return true;
    }

    /** Under the lock: gives the channel's buffer back to the pool, once. */
    private void releaseReservation() {
        if (reserved) {
            reserved = false;
            pool.release(RESERVED_BUFFERS);
        }
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

    /**
     * The most frames at once that were sent and not yet given back by the receiver, counted against its first grant
     * (its exclusive credits): exact without floating credits. A floating credit looks to the sender like a frame
     * given back, so with them this counts less; the receiver's {@link RemoteInputChannel#maxOccupancy} is exact.
     */
    @Override
    public int maxOccupancy() {
        return maxInFlight;
    }

    /**
     * The most element bytes at once that were sent and not yet given back by the receiver, counting the frames
     * whose credits come back first as given back (the receiver returns credits in the order frames came, except
     * that it returns the credit of a spanning element's piece at once: then this counts more than was in flight,
     * never less). Never more than the credits times the buffer size. With floating credits this counts less, as
     * {@link #maxOccupancy} does; the receiver's {@link RemoteInputChannel#maxHeldBytes} is exact.
     */
    public long maxInFlightBytes() {
        return inFlight.max;
    }

    /** Whether the channel still holds its buffer of the pool (for tests). */
    boolean holdsReservation() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The element bytes of the frames sent and not yet given back, oldest first: a ring that grows to the window
     * (once per channel, not per frame). Guarded by the channel's lock.
     */
    private static final class InFlight {
        private int[] sizes = new int[4];
        private int head;
        private int count;
        private long bytes;
        private volatile long max;

        void sent(int frameBytes) {
            if (count == sizes.length) {
                int[] grown = new int[sizes.length * 2];
                for (int i = 0; i < count; i++) {
                    grown[i] = sizes[(head + i) % sizes.length];
                }
                sizes = grown;
                head = 0;
            }
            sizes[(head + count) % sizes.length] = frameBytes;
            count++;
            bytes += frameBytes;
            if (bytes > max) {
                max = bytes;
            }
        }

        void returned(int frames) {
            for (int i = 0; i < frames && count > 0; i++) {
                bytes -= sizes[head];
                head = (head + 1) % sizes.length;
                count--;
            }
        }
    }
}
