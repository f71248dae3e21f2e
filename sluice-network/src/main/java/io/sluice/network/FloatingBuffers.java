package io.sluice.network;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffers one consuming task reserves in its process's {@link NetworkBufferPool} beside its remote channels' credits,
 * and lends, one credit at a time, to whichever of those channels has a sender waiting for credit (Flink's floating
 * buffers). A channel that carries most of a task's data so gets a deeper pipeline, hiding the time a credit takes
 * to travel back, without every channel of a wide shuffle reserving more: the pool's account stays exact, since what
 * is lent was reserved when the task deployed.
 *
 * <p>A channel borrows when its sender reports a backlog ({@link RemoteInputChannel#onBacklog}) and gives the buffer
 * back instead of a credit to its sender when its consumer has taken everything that arrived (the sender is not
 * ahead, so the buffer would sit idle). A channel that ends gives back all it borrowed.
 *
 * <p>Thread-safe, lock-free: event loops borrow, consumer threads give back, one atomic operation per backlog report
 * or buffer given back.
 */
public final class FloatingBuffers implements AutoCloseable {
    /** No floating buffers: a channel registered with these has its credits alone. */
    public static final FloatingBuffers NONE = new FloatingBuffers(null, 0);

    private final NetworkBufferPool pool;
    private final int total;
    private final AtomicInteger free;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FloatingBuffers(NetworkBufferPool pool, int total) {
        this.pool = pool;
        this.total = total;
        this.free = new AtomicInteger(total);
    }

    /**
     * Reserves {@code buffers} of {@code pool} for the consuming task that {@code firstChannel} feeds; {@link #NONE}
     * for 0.
     *
     * @throws InsufficientNetworkBuffersException if fewer are free; nothing is reserved then
     */
    public static FloatingBuffers reserve(NetworkBufferPool pool, int buffers, RemoteChannelId firstChannel) {
        if (buffers == 0) {
            return NONE;
        }
        pool.reserve(buffers, firstChannel, "consuming task (floating buffers)");
        return new FloatingBuffers(pool, buffers);
    }

    /** How many buffers there are to lend. */
    public int total() {
        return total;
    }

    /** How many are not lent now (for tests and status). */
    public int available() {
        return free.get();
    }

    /** Takes up to {@code wanted} buffers to lend, as many as are free; how many it took (0 if all are lent). */
    int borrow(int wanted) {
        return takeUpTo(free, wanted);
    }

    /** Takes up to {@code wanted} from {@code count}, never below 0; how many it took. */
    static int takeUpTo(AtomicInteger count, int wanted) {
        int now;
        int taken;
        do {
            now = count.get();
            taken = Math.min(now, Math.max(0, wanted));
            if (taken == 0) {
                return 0;
            }
        } while (!count.compareAndSet(now, now - taken));
        return taken;
    }

    /** Takes back {@code buffers} lent before. */
    void giveBack(int buffers) {
        free.addAndGet(buffers);
    }

    /** Gives the reservation back to the pool, once; the task's channels are closed by then. */
    @Override
    public void close() {
        if (pool != null && closed.compareAndSet(false, true)) {
            pool.release(total);
        }
    }
}
