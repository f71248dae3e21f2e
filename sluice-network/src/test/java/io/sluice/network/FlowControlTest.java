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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Credit-based flow control on a shared connection: a consumer that stops reading stops only its own channel, whose
 * data in flight stays within its credits, while another channel on the same connection delivers everything.
 */
@ExtendWith(LeakDetection.class)
class FlowControlTest {
    private static final int CREDITS = 4;
    private static final int BATCH = 512;
    private static final int FAST_BATCHES = 400; // 204,800 records: a few tenths of a second with paranoid leak detection
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aConsumerThatDoesNotReadSlowsOnlyItsOwnChannel() throws Exception {
        JobId job = JobId.random();
        RemoteChannelId slowId = new RemoteChannelId(job, 0, new ChannelId(0, 0, 0));
        RemoteChannelId fastId = new RemoteChannelId(job, 0, new ChannelId(0, 0, 1));
        try (Loopback net = Loopback.start()) {
            Wakeup slowWakeup = new Wakeup();
            Wakeup fastWakeup = new Wakeup();
            RemoteInputChannel slowIn = net.inputs.register(slowId, Types.LONG, CREDITS, slowWakeup);
            RemoteInputChannel fastIn = net.inputs.register(fastId, Types.LONG, CREDITS, fastWakeup);
            RemoteOutputChannel slowOut = net.client.openOutput(net.server.address(), slowId, Types.LONG);
            RemoteOutputChannel fastOut = net.client.openOutput(net.server.address(), fastId, Types.LONG);

            // the slow channel's producer offers as fast as it can; its consumer reads nothing until the end
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger slowAccepted = new AtomicInteger();
            AtomicInteger slowRefused = new AtomicInteger();
            Thread slowProducer = Thread.ofPlatform().name("slow producer").start(() -> {
                try {
                    while (!stop.get()) {
                        if (slowOut.offer(batch(slowAccepted.get()), 20, TimeUnit.MILLISECONDS)) {
                            slowAccepted.incrementAndGet();
                        } else {
                            slowRefused.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            AtomicLong fastRecords = new AtomicLong();
            long start = System.nanoTime();
            Thread fastProducer = Thread.ofPlatform().name("fast producer").start(() -> {
                try {
                    for (int b = 0; b < FAST_BATCHES; b++) {
                        Elements.send(fastOut, batch(b), TIMEOUT);
                    }
                    Elements.send(fastOut, ControlEvent.EndOfInput.INSTANCE, TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            long expectedFirst = 0;
            for (ChannelElement e; !((e = Elements.next(fastIn, fastWakeup, Duration.ofMillis(10), deadline))
                    instanceof ControlEvent.EndOfInput); ) {
                RecordBatch batch = (RecordBatch) e;
                assertEquals(expectedFirst, batch.record(0), "the fast channel's batches arrive in order");
                expectedFirst += BATCH;
                fastRecords.addAndGet(batch.size());
            }
            double fastSeconds = (System.nanoTime() - start) / 1e9;
            fastProducer.join(TIMEOUT.toMillis());

            double slowSeconds = (System.nanoTime() - start) / 1e9;
            int slowInFlight = slowAccepted.get();
            stop.set(true);
            slowProducer.join(TIMEOUT.toMillis());

            assertEquals((long) FAST_BATCHES * BATCH, fastRecords.get(), "the fast channel delivered everything");
            assertTrue(slowAccepted.get() <= CREDITS + 1, "the slow channel's producer got at most its credits and one"
                    + " element waiting for credit accepted: " + slowAccepted.get());
            assertTrue(slowRefused.get() > 0, "the slow channel's producer was held back");
            assertTrue(slowIn.maxOccupancy() <= CREDITS, "waiting at the receiver: " + slowIn.maxOccupancy());
            assertTrue(slowOut.maxOccupancy() <= CREDITS, "in flight: " + slowOut.maxOccupancy());
            assertEquals(CREDITS, slowOut.maxOccupancy(), "the slow channel used all its credits");
            awaitBacklogReport(slowIn);
            System.out.printf("FlowControlTest: fast channel %,d records in %.2f s = %,.0f records/s; slow channel %d"
                    + " batches (%,.0f records/s) while its consumer did not read%n", fastRecords.get(), fastSeconds,
                    fastRecords.get() / fastSeconds, slowInFlight, slowInFlight * (double) BATCH / slowSeconds);

            // the slow consumer reads at last: every accepted batch arrives, in order, and the channel ends cleanly
            Thread ending = Thread.ofPlatform().name("slow producer ends").start(() -> {
                try {
                    Elements.send(slowOut, ControlEvent.EndOfInput.INSTANCE, TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<ChannelElement> slowReceived = Elements.untilEnd(slowIn, slowWakeup, Duration.ofMillis(10), TIMEOUT);
            List<ChannelElement> slowExpected = new ArrayList<>();
            for (int b = 0; b < slowAccepted.get(); b++) {
                slowExpected.add(batch(b));
            }
            slowExpected.add(ControlEvent.EndOfInput.INSTANCE);
            ending.join(TIMEOUT.toMillis());
            assertEquals(Elements.flatten(slowExpected), Elements.flatten(slowReceived));
            assertEquals(0, net.server.events().protocolViolations());
            slowIn.close();
            fastIn.close();
        }
    }

    @Test
    void bytesInFlightOnAChannelNeverExceedItsCreditsInBuffers() throws Exception {
        int buffer = 4096;
        int credits = 3;
        NetworkConfig config = NetworkConfig.defaults().withBufferBytes(buffer).withCreditsPerChannel(credits);
        try (Loopback net = Loopback.start(config)) {
            Loopback.Link link = net.link(new RemoteChannelId(JobId.random(), 0, new ChannelId(0, 0, 0)), Types.BYTES,
                    config.creditsPerChannel());
            assertEquals(credits * 1 + RemoteOutputChannel.RESERVED_BUFFERS, net.pool.used(),
                    "the consumer's end reserved its credits, the producer's end one buffer");
            java.util.Random random = new java.util.Random(7);
            List<ChannelElement> sent = new ArrayList<>();
            long bytes = 0;
            for (int b = 0; b < 60; b++) {
                Object[] records = new Object[1 + random.nextInt(40)];
                for (int i = 0; i < records.length; i++) {
                    byte[] record = new byte[random.nextInt(10) == 0 ? 3 * buffer + random.nextInt(buffer)
                            : random.nextInt(500)]; // now and then a record spanning buffers
                    random.nextBytes(record);
                    records[i] = record;
                    bytes += record.length;
                }
                sent.add(Elements.batch(records));
            }
            sent.add(ControlEvent.EndOfInput.INSTANCE);
            Thread producer = Elements.producer(link.out(), sent, TIMEOUT);
            // a slow consumer: the sender fills the window before each poll
            List<ChannelElement> received = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            ChannelElement e;
            do {
                Thread.sleep(2);
                e = Elements.next(link.in(), link.wakeup(), Duration.ofMillis(10), deadline);
                received.add(e);
            } while (!(e instanceof ControlEvent.EndOfInput));
            producer.join(TIMEOUT.toMillis());
            assertEquals(Elements.flatten(sent), Elements.flatten(received));
            long limit = (long) credits * buffer;
            System.out.printf("FlowControlTest: %,d record bytes; most in flight %,d bytes (sender), most held %,d"
                    + " bytes (receiver), limit %,d%n", bytes, link.out().maxInFlightBytes(), link.in().maxHeldBytes(),
                    limit);
            assertTrue(link.out().maxInFlightBytes() <= limit, "in flight: " + link.out().maxInFlightBytes());
            assertTrue(link.in().maxHeldBytes() <= limit, "held: " + link.in().maxHeldBytes());
            assertTrue(link.in().maxHeldBytes() > limit - buffer, "the window was used, in bytes too: "
                    + link.in().maxHeldBytes());
            assertEquals(credits, link.out().maxOccupancy(), "every credit was used");
            link.in().close();
            assertEquals(0, net.pool.used(), "both ends gave their buffers back");
        }
    }

    private static void awaitBacklogReport(RemoteInputChannel slowIn) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (slowIn.senderBacklog() != 1) {
            assertTrue(System.nanoTime() < end, "the slow sender reported its backlog of one: " + slowIn.senderBacklog());
            Thread.sleep(5);
        }
    }

    /** Batch {@code b}: records {@code b * BATCH} up to {@code (b + 1) * BATCH - 1}. */
    private static RecordBatch batch(long b) {
        return Elements.sequence(b, BATCH);
    }
}
