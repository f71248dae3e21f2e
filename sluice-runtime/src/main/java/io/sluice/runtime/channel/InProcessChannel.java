package io.sluice.runtime.channel;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A channel between two tasks of this JVM: a bounded queue of batches and events, each batch of at most one buffer of
 * serialized records ({@link BatchSizer}), so that its capacity counts the unit a network channel's credits count. Its
 * lock is taken once per batch, never per record.
 */
public final class InProcessChannel implements Channel {
    private final ArrayBlockingQueue<ChannelElement> queue;
    private final int capacity;
    private final Wakeup consumer;
    private volatile int maxOccupancy;

    public InProcessChannel(int capacity, Wakeup consumer) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.consumer = consumer;
    }

    @Override
    public boolean offer(ChannelElement element, long timeout, TimeUnit unit) throws InterruptedException {
        if (!queue.offer(element, timeout, unit)) {
            return false;
        }
        int occupied = queue.size();
        if (occupied > maxOccupancy) {
            maxOccupancy = occupied; // single producer: no lost update
        }
        consumer.wake();
        return true;
    }

    @Override
    public ChannelElement poll() {
        return queue.poll();
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int maxOccupancy() {
        return maxOccupancy;
    }
}
