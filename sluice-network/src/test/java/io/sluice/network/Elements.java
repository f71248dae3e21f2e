package io.sluice.network;

import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.RecordBatch;
import io.sluice.runtime.channel.Wakeup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers: making and comparing channel elements, and reading a channel as a consumer task does. */
final class Elements {
    private Elements() {}

    static RecordBatch batch(Object... records) {
        long[] timestamps = new long[records.length];
        Arrays.fill(timestamps, Long.MIN_VALUE);
        return RecordBatch.of(records.clone(), timestamps);
    }

    /** Batch {@code b} of a sequence of {@code Long}s in batches of {@code size}: {@code b * size} and the next ones. */
    static RecordBatch sequence(long b, int size) {
        Object[] records = new Object[size];
        for (int i = 0; i < size; i++) {
            records[i] = b * size + i;
        }
        return batch(records);
    }

    static RecordBatch batch(Object[] records, long[] timestamps) {
        return RecordBatch.of(records.clone(), timestamps.clone());
    }

    /**
     * What a consumer sees, flattened: each record as {@code record@timestamp}, each event as itself. Batch boundaries
     * carry no meaning (a sender may split a batch), the order of records and events does.
     */
    static List<String> flatten(List<? extends ChannelElement> elements) {
        List<String> out = new ArrayList<>();
        for (ChannelElement e : elements) {
            switch (e) {
                case RecordBatch b -> {
                    for (int i = 0; i < b.size(); i++) {
                        out.add(deep(b.record(i)) + "@" + b.timestamp(i));
                    }
                }
                case ControlEvent event -> out.add(event.toString());
            }
        }
        return out;
    }

    private static String deep(Object record) {
        return record instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(record);
    }

    /**
     * The next element of {@code channel}, read as a consumer task reads: poll; if nothing is there, announce the
     * sleep, re-check, park for at most {@code park} (a producer's wake-up ends it early).
     *
     * @throws AssertionError if nothing arrives before {@code deadlineNanos} ({@link System#nanoTime})
     */
    static ChannelElement next(Channel channel, Wakeup wakeup, Duration park, long deadlineNanos) {
        while (true) {
            ChannelElement e = channel.poll();
            if (e != null) {
                return e;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("nothing arrived in time on " + channel);
            }
            wakeup.prepareToSleep();
            if (!channel.isEmpty()) {
                wakeup.cancelSleep();
                continue;
            }
            wakeup.sleep(Math.min(park.toNanos(), left));
        }
    }

    /** Every element up to and including the end of input. */
    static List<ChannelElement> untilEnd(Channel channel, Wakeup wakeup, Duration park, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ChannelElement> out = new ArrayList<>();
        ChannelElement e;
        do {
            e = next(channel, wakeup, park, deadline);
            out.add(e);
        } while (!(e instanceof ControlEvent.EndOfInput));
        return out;
    }

    /** A started thread named "producer" that sends {@code elements} on {@code channel} in order, as {@link #send}. */
    static Thread producer(Channel channel, List<? extends ChannelElement> elements, Duration timeout) {
        return Thread.ofPlatform().name("producer").start(() -> {
            try {
                for (ChannelElement e : elements) {
                    send(channel, e, timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Offers {@code element}, retrying the bounded offer until {@code timeout}. */
    static void send(Channel channel, ChannelElement element, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!channel.offer(element, 20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no room on " + channel + " within " + timeout);
            }
        }
    }

    /**
     * Offers {@code element} again and again until the channel fails, as a producer does until it hears that its
     * channel was closed (the notice takes a round trip); the failure.
     */
    static RemoteChannelException failureOf(Channel channel, ChannelElement element, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                channel.offer(element, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (RemoteChannelException e) {
            return e;
        }
        throw new AssertionError(channel + " did not fail within " + timeout);
    }
}
