package io.sluice.cluster.worker;

import io.sluice.network.FloatingBuffers;
import io.sluice.network.NetworkBufferPool;
import io.sluice.network.RemoteChannelId;
import io.sluice.runtime.channel.Wakeup;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The floating buffers of each consuming task of one attempt on this worker: reserved in the worker's pool when the
 * task's first remote input channel registers (a task reading only in-process channels reserves none), lent to its
 * remote channels whose senders wait for credit, and given back when the attempt's resources close. A task is known
 * by its {@link Wakeup}, the one object all its input channels share.
 *
 * <p>Thread-safe: deployment threads take, the attempt's closing closes.
 */
final class TaskFloatingBuffers implements AutoCloseable {
    private final NetworkBufferPool pool;
    private final int perTask;
    private final Map<Wakeup, FloatingBuffers> byTask = new IdentityHashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    TaskFloatingBuffers(NetworkBufferPool pool, int perTask) {
        this.pool = pool;
        this.perTask = perTask;
    }

    /**
     * The floating buffers of the task {@code consumer} wakes, reserved now if {@code channel} is its first remote
     * input.
     *
     * @throws io.sluice.network.InsufficientNetworkBuffersException if the pool cannot hold them
     * @throws IllegalStateException                                if the attempt's resources closed already
     */
    synchronized FloatingBuffers of(Wakeup consumer, RemoteChannelId channel) {
        if (closed) {
            throw new IllegalStateException(channel + " registers after its attempt's resources were closed");
        }
        FloatingBuffers floating = byTask.get(consumer);
        if (floating == null) {
            floating = FloatingBuffers.reserve(pool, perTask, channel);
            byTask.put(consumer, floating);
        }
        return floating;
    }

    @Override
    public void close() {
        List<FloatingBuffers> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(byTask.values());
            byTask.clear();
        }
        all.forEach(FloatingBuffers::close);
    }
}
