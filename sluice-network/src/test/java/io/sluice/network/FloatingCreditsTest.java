package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.RecordBatch;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Floating buffers: a consuming task's channel whose sender waits for credit borrows the task's floating buffers as
 * extra credits, within what the task reserved, and the task's other channels keep their own credits; everything is
 * delivered exactly, in order, and every buffer goes back to the pool.
 */
@ExtendWith(LeakDetection.class)
class FloatingCreditsTest {
    private static final int CREDITS = 2;
    private static final int FLOATING = 6;
    private static final int BATCH = 64; // 64 longs with their timestamps: one frame each
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aWaitingSenderBorrowsTheTasksFloatingBuffersWhileItsSiblingKeepsItsCredits() throws Exception {
        JobId job = JobId.random();
        RemoteChannelId slowId = new RemoteChannelId(job, 0, new ChannelId(0, 0, 0));
        RemoteChannelId siblingId = new RemoteChannelId(job, 0, new ChannelId(0, 1, 0));
        try (Loopback net = Loopback.start()) {
            FloatingBuffers floating = FloatingBuffers.reserve(net.pool, FLOATING, slowId);
            Wakeup slowWakeup = new Wakeup();
            Wakeup siblingWakeup = new Wakeup();
            RemoteInputChannel slowIn = net.inputs.register(slowId, Types.LONG, CREDITS, floating, slowWakeup);
            RemoteInputChannel siblingIn = net.inputs.register(siblingId, Types.LONG, CREDITS, floating,
                    siblingWakeup);
            RemoteOutputChannel slowOut = net.client.openOutput(net.server.address(), slowId, Types.LONG);
            RemoteOutputChannel siblingOut = net.client.openOutput(net.server.address(), siblingId, Types.LONG);
            int reserved = 2 * CREDITS + FLOATING + 2 * RemoteOutputChannel.RESERVED_BUFFERS;
            assertEquals(reserved, net.pool.used(), "credits, the task's floating buffers, the producers' buffers");

            // the slow channel's producer offers as fast as it can; its consumer reads nothing for now
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger accepted = new AtomicInteger();
            Thread producer = Thread.ofPlatform().name("slow producer").start(() -> {
                try {
                    while (!stop.get()) {
                        if (slowOut.offer(batch(accepted.get()), 20, TimeUnit.MILLISECONDS)) {
                            accepted.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                int most = CREDITS + FLOATING + RemoteOutputChannel.RESERVED_BUFFERS;
                await(() -> accepted.get() == most && floating.available() == 0, () -> "the slow sender borrowed every"
                        + " floating buffer: " + accepted.get() + " accepted, " + floating.available() + " free");
                Thread.sleep(200);
                assertEquals(most, accepted.get(), "never more than the credits, the floating buffers and one waiting");
                assertEquals(CREDITS + FLOATING, slowIn.maxOccupancy(), "waiting at the receiver");
                assertTrue(slowIn.maxHeldBytes() <= (long) (CREDITS + FLOATING) * net.config.bufferBytes());
                assertEquals(reserved, net.pool.used(), "lending does not change the pool's account");

                // the sibling, with no floating buffer left to borrow, still delivers everything on its own credits
                List<ChannelElement> siblingSent = new ArrayList<>();
                for (int b = 0; b < 200; b++) {
                    siblingSent.add(batch(b));
                }
                siblingSent.add(ControlEvent.EndOfInput.INSTANCE);
                Thread siblingProducer = Elements.producer(siblingOut, siblingSent, TIMEOUT);
                List<ChannelElement> siblingGot = Elements.untilEnd(siblingIn, siblingWakeup, Duration.ofMillis(10),
                        TIMEOUT);
                siblingProducer.join(TIMEOUT.toMillis());
                assertEquals(Elements.flatten(siblingSent), Elements.flatten(siblingGot));
                assertTrue(siblingIn.maxOccupancy() <= CREDITS, "the sibling had its credits only: "
                        + siblingIn.maxOccupancy());
            } finally {
                stop.set(true);
                producer.join(TIMEOUT.toMillis());
            }

            // the slow consumer reads at last: every accepted batch, in order
            Thread ending = Elements.producer(slowOut, List.of(ControlEvent.EndOfInput.INSTANCE), TIMEOUT);
            List<ChannelElement> got = Elements.untilEnd(slowIn, slowWakeup, Duration.ofMillis(10), TIMEOUT);
            ending.join(TIMEOUT.toMillis());
            List<ChannelElement> expected = new ArrayList<>();
            for (int b = 0; b < accepted.get(); b++) {
                expected.add(batch(b));
            }
            expected.add(ControlEvent.EndOfInput.INSTANCE);
            assertEquals(Elements.flatten(expected), Elements.flatten(got));
            assertEquals(0, net.server.events().protocolViolations());

            slowIn.close();
            siblingIn.close();
            assertEquals(FLOATING, floating.available(), "closed channels gave back what they borrowed");
            floating.close();
            await(() -> net.pool.used() == 0, () -> "every buffer back in the pool: " + net.pool.used() + " used");
        }
    }

    /**
     * Seeded: three channels of one task share its floating buffers, their consumers pausing at random; each delivers
     * exactly what was sent, in order, and none ever holds more than its credits and the task's floating buffers.
     */
    @Test
    void channelsSharingFloatingBuffersDeliverExactly() throws Exception {
        long seed = new Random().nextLong();
        int channels = 3;
        int floatingBuffers = 4;
        int batches = 300;
        JobId job = JobId.random();
        try (Loopback net = Loopback.start()) {
            FloatingBuffers floating = FloatingBuffers.reserve(net.pool, floatingBuffers,
                    new RemoteChannelId(job, 0, new ChannelId(0, 0, 0)));
            List<RemoteInputChannel> ins = new ArrayList<>();
            List<Wakeup> wakeups = new ArrayList<>();
            List<Thread> producers = new ArrayList<>();
            List<List<ChannelElement>> sent = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                RemoteChannelId id = new RemoteChannelId(job, 0, new ChannelId(0, c, 0));
                Wakeup wakeup = new Wakeup();
                ins.add(net.inputs.register(id, Types.LONG, CREDITS, floating, wakeup));
                wakeups.add(wakeup);
                List<ChannelElement> elements = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                    elements.add(batch(c * 1_000_000L + b));
                }
                elements.add(ControlEvent.EndOfInput.INSTANCE);
                sent.add(elements);
                producers.add(Elements.producer(net.client.openOutput(net.server.address(), id, Types.LONG), elements,
                        TIMEOUT));
            }
            Random random = new Random(seed);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<List<ChannelElement>> got = new ArrayList<>();
            boolean[] ended = new boolean[channels];
            for (int c = 0; c < channels; c++) {
                got.add(new ArrayList<>());
            }
            int open = channels;
            while (open > 0) {
                int c = random.nextInt(channels);
                if (ended[c]) {
                    continue;
                }
                if (random.nextInt(8) == 0) {
                    Thread.sleep(random.nextInt(3)); // this consumer falls behind for a moment
                }
                ChannelElement e = Elements.next(ins.get(c), wakeups.get(c), Duration.ofMillis(5), deadline);
                got.get(c).add(e);
                if (e instanceof ControlEvent.EndOfInput) {
                    ended[c] = true;
                    open--;
                }
            }
            for (Thread p : producers) {
                p.join(TIMEOUT.toMillis());
            }
            for (int c = 0; c < channels; c++) {
                assertEquals(Elements.flatten(sent.get(c)), Elements.flatten(got.get(c)), "seed " + seed
                        + ": channel " + c);
                assertTrue(ins.get(c).maxOccupancy() <= CREDITS + floatingBuffers, "seed " + seed + ": channel " + c
                        + " held " + ins.get(c).maxOccupancy());
                ins.get(c).close();
            }
            assertEquals(0, net.server.events().protocolViolations(), "seed " + seed);
            assertEquals(floatingBuffers, floating.available(), "seed " + seed + ": every floating buffer back");
            floating.close();
            await(() -> net.pool.used() == 0, () -> "seed " + seed + ": every buffer back in the pool");
        }
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what);
            Thread.sleep(5);
        }
    }

    /** Batch {@code b}: records {@code b * BATCH} up to {@code (b + 1) * BATCH - 1}. */
    private static RecordBatch batch(long b) {
        return Elements.sequence(b, BATCH);
    }
}
