package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.RecordBatch;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;
import io.sluice.runtime.state.SnapshotKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One channel through a real loopback connection: what goes in comes out, in order, and failures name the channel. */
@ExtendWith(LeakDetection.class)
class RemoteChannelTest {
    private static final Duration LONG_PARK = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final JobId job = JobId.random();

    private RemoteChannelId channel(int attempt, int edge, int producer, int consumer) {
        return new RemoteChannelId(job, attempt, new ChannelId(edge, producer, consumer));
    }

    @Test
    void everyElementKindArrivesInOrderAndWakesTheConsumer() throws Exception {
        try (Loopback net = Loopback.start()) {
            RemoteChannelId id = channel(0, 1, 2, 3);
            Loopback.Link link = net.link(id, Types.STRING, 4);
            RemoteInputChannel in = link.in();
            RemoteOutputChannel out = link.out();
            Wakeup wakeup = link.wakeup();
            List<ChannelElement> sent = List.of(
                    new ControlEvent.Watermark(-1), Elements.batch(new Object[] {"a", "b"}, new long[] {5, 6}),
                    ControlEvent.WatermarkStatus.IDLE, ControlEvent.WatermarkStatus.ACTIVE,
                    new ControlEvent.Barrier(1), Elements.batch("c"), new ControlEvent.CancelCheckpoint(1),
                    new ControlEvent.Barrier(2, SnapshotKind.SAVEPOINT), Elements.batch(),
                    new ControlEvent.Watermark(Long.MAX_VALUE), ControlEvent.EndOfInput.INSTANCE);
            Thread producer = Thread.ofPlatform().name("producer").start(() -> {
                try {
                    for (ChannelElement e : sent) {
                        Thread.sleep(5); // the consumer parks between elements: each one must wake it
                        Elements.send(out, e, TIMEOUT);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            // parks of up to 30 s: a lost wake-up would show as a stall far beyond the bound below
            List<ChannelElement> received = Elements.untilEnd(in, wakeup, LONG_PARK, TIMEOUT);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            producer.join(TIMEOUT.toMillis());
            assertEquals(Elements.flatten(sent), Elements.flatten(received));
            assertEquals(sent.size(), received.size(), "one element per element sent (none was split)");
            assertTrue(millis < 15_000, "took " + millis + " ms: a wake-up was lost");
            assertTrue(in.maxOccupancy() <= 4, "at most the credits waited: " + in.maxOccupancy());
            assertTrue(out.maxOccupancy() <= 4, "at most the credits in flight: " + out.maxOccupancy());
            assertEquals(4, out.capacity(), "the sender learned the receiver's buffers");
            assertNull(in.poll(), "nothing after the end");
            assertTrue(in.isEmpty());
            in.close();
        }
    }

    @Test
    void aProducerMayOpenBeforeItsConsumerIsRegistered() throws Exception {
        try (Loopback net = Loopback.start()) {
            RemoteChannelId id = channel(0, 0, 0, 0);
            RemoteOutputChannel out = net.client.openOutput(net.server.address(), id, Types.LONG);
            assertTrue(out.offer(Elements.batch(1L), 1, TimeUnit.SECONDS), "one element waits for credit");
            assertFalse(out.offer(Elements.batch(2L), 50, TimeUnit.MILLISECONDS),
                    "without credit a second element does not fit");
            Wakeup wakeup = new Wakeup();
            RemoteInputChannel in = net.inputs.register(id, Types.LONG, 2, wakeup);
            Elements.send(out, Elements.batch(2L), TIMEOUT);
            Elements.send(out, ControlEvent.EndOfInput.INSTANCE, TIMEOUT);
            assertEquals(List.of("1@" + Long.MIN_VALUE, "2@" + Long.MIN_VALUE, "EndOfInput[]"),
                    Elements.flatten(Elements.untilEnd(in, wakeup, Duration.ofMillis(100), TIMEOUT)));
            in.close();
        }
    }

    @Test
    void aBatchLargerThanABufferArrivesAsSeveralBatchesWithEveryRecordInOrder() throws Exception {
        NetworkConfig config = NetworkConfig.defaults().withBufferBytes(4096);
        try (Loopback net = Loopback.start(config)) {
            RemoteChannelId id = channel(0, 0, 0, 1);
            Loopback.Link link = net.link(id, Types.STRING, 2);
            RemoteInputChannel in = link.in();
            RemoteOutputChannel out = link.out();
            Wakeup wakeup = link.wakeup();
            Object[] records = new Object[100];
            for (int i = 0; i < records.length; i++) {
                records[i] = i + ":" + "y".repeat(200); // 100 x ~205 bytes: about 5 frames of 4 KiB
            }
            RecordBatch big = Elements.batch(records);
            Thread producer = Thread.ofPlatform().start(() -> {
                try {
                    Elements.send(out, big, TIMEOUT);
                    Elements.send(out, ControlEvent.EndOfInput.INSTANCE, TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<ChannelElement> received = Elements.untilEnd(in, wakeup, Duration.ofMillis(100), TIMEOUT);
            producer.join(TIMEOUT.toMillis());
            assertEquals(Elements.flatten(List.of(big, ControlEvent.EndOfInput.INSTANCE)), Elements.flatten(received));
            assertTrue(received.size() > 3, "split into several batches: " + received.size());
            in.close();
        }
    }

    @Test
    void recordsLargerThanABufferSpanFramesAndArriveWholeEvenWithOneCredit() throws Exception {
        NetworkConfig config = NetworkConfig.defaults().withBufferBytes(4096);
        try (Loopback net = Loopback.start(config)) {
            RemoteChannelId id = channel(0, 0, 0, 2);
            Loopback.Link link = net.link(id, Types.BYTES, 1); // one credit: pieces must give theirs back at once
            java.util.Random random = new java.util.Random(42);
            List<ChannelElement> sent = new ArrayList<>();
            for (int size : new int[] {10, 4096, 4097, 100_000, 7, 1 << 20, 3 * 4096, 0}) {
                byte[] record = new byte[size];
                random.nextBytes(record);
                sent.add(Elements.batch(new byte[] {1, 2}, record, new byte[] {3})); // small records around it
            }
            sent.add(new ControlEvent.Barrier(1));
            sent.add(ControlEvent.EndOfInput.INSTANCE);
            Thread producer = Elements.producer(link.out(), sent, TIMEOUT);
            List<ChannelElement> received = Elements.untilEnd(link.in(), link.wakeup(), Duration.ofMillis(20), TIMEOUT);
            producer.join(TIMEOUT.toMillis());
            assertEquals(Elements.flatten(sent), Elements.flatten(received));
            assertTrue(link.out().maxInFlightBytes() <= 4096, "in flight: " + link.out().maxInFlightBytes());
            assertTrue(link.in().maxHeldBytes() <= 4096, "held: " + link.in().maxHeldBytes());
            link.in().close();
        }
    }

    @Test
    void aRecordOverTheRecordLimitFailsTheOfferNamingTheChannel() throws Exception {
        NetworkConfig config = NetworkConfig.defaults().withBufferBytes(4096).withMaxRecordBytes(8192);
        try (Loopback net = Loopback.start(config)) {
            RemoteChannelId id = channel(3, 4, 5, 6);
            RemoteInputChannel in = net.inputs.register(id, Types.BYTES, 2, new Wakeup());
            RemoteOutputChannel out = net.client.openOutput(net.server.address(), id, Types.BYTES);
            RemoteChannelException e = assertThrows(RemoteChannelException.class,
                    () -> out.offer(Elements.batch((Object) new byte[10_000]), 1, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("edge 4, producer 5, consumer 6") && e.getMessage().contains("attempt 3")
                    && e.getMessage().contains(net.server.address().toString())
                    && e.getMessage().contains("larger than the limit of 8192 bytes for one record"), e.getMessage());
            // the record is lost, so the channel cannot go on: its consumer learns it, later offers fail alike
            RemoteChannelException later = assertThrows(RemoteChannelException.class,
                    () -> out.offer(Elements.batch((Object) new byte[1]), 1, TimeUnit.SECONDS));
            assertEquals(e.getMessage(), later.getMessage());
            RemoteChannelException consumerSide = assertThrows(RemoteChannelException.class, () -> Elements.next(in,
                    new Wakeup(), Duration.ofMillis(50), System.nanoTime() + TIMEOUT.toNanos()));
            assertTrue(consumerSide.getMessage().contains("its producer cancelled it"), consumerSide.getMessage());
            assertFalse(out.holdsReservation(), "the failed channel gave its buffer back");
            in.close();
            assertEquals(0, net.pool.used(), "every buffer is back in the pool");
        }
    }

    @Test
    void aCancelledProducerFailsItsConsumerAfterWhatWasSent() throws Exception {
        try (Loopback net = Loopback.start()) {
            RemoteChannelId id = channel(0, 2, 1, 0);
            Loopback.Link link = net.link(id, Types.INT, 2);
            RemoteInputChannel in = link.in();
            RemoteOutputChannel out = link.out();
            Wakeup wakeup = link.wakeup();
            Elements.send(out, Elements.batch(7), TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            assertEquals(List.of("7@" + Long.MIN_VALUE),
                    Elements.flatten(List.of(Elements.next(in, wakeup, Duration.ofMillis(50), deadline))));
            out.cancel();
            RemoteChannelException e = assertThrows(RemoteChannelException.class,
                    () -> Elements.next(in, wakeup, Duration.ofMillis(50), deadline));
            assertTrue(e.getMessage().contains("edge 2, producer 1, consumer 0")
                    && e.getMessage().contains("its producer cancelled it"), e.getMessage());
            assertThrows(RemoteChannelException.class, () -> out.offer(Elements.batch(8), 1, TimeUnit.SECONDS));
            in.close();
        }
    }

    @Test
    void aReleasedConsumerStopsItsProducer() throws Exception {
        try (Loopback net = Loopback.start()) {
            RemoteChannelId id = channel(0, 0, 1, 1);
            Loopback.Link link = net.link(id, Types.INT, 1);
            RemoteInputChannel in = link.in();
            RemoteOutputChannel out = link.out();
            Wakeup wakeup = link.wakeup();
            Elements.send(out, Elements.batch(1), TIMEOUT);
            Elements.next(in, wakeup, Duration.ofMillis(50), System.nanoTime() + TIMEOUT.toNanos());
            in.close();
            RemoteChannelException e = Elements.failureOf(out, Elements.batch(2), TIMEOUT);
            assertTrue(e.getMessage().contains("its consumer released it")
                    && e.getMessage().contains("edge 0, producer 1, consumer 1"), e.getMessage());
            assertEquals(0, net.inputs.size());
        }
    }

    @Test
    void aLostConnectionFailsBothEndsNamingTheAddress() throws Exception {
        try (Loopback net = Loopback.start()) {
            RemoteChannelId id = channel(0, 5, 0, 0);
            Loopback.Link link = net.link(id, Types.INT, 2);
            RemoteInputChannel in = link.in();
            RemoteOutputChannel out = link.out();
            Wakeup wakeup = link.wakeup();
            Elements.send(out, Elements.batch(1), TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            Elements.next(in, wakeup, Duration.ofMillis(50), deadline);
            net.server.close();
            RemoteChannelException consumerSide = assertThrows(RemoteChannelException.class,
                    () -> Elements.next(in, wakeup, Duration.ofMillis(50), deadline));
            assertTrue(consumerSide.getMessage().contains("was lost")
                    && consumerSide.getMessage().contains("edge 5, producer 0, consumer 0"), consumerSide.getMessage());
            RemoteChannelException producerSide = Elements.failureOf(out, Elements.batch(2), TIMEOUT);
            assertTrue(producerSide.getMessage().contains(net.server.address().toString())
                    && producerSide.getMessage().contains("edge 5, producer 0, consumer 0"), producerSide.getMessage());
            in.close();
        }
    }

    @Test
    void oneConnectionPerServerCarriesAllItsChannels() throws Exception {
        try (Loopback net = Loopback.start();
                NetworkServer second = NetworkServer.start(net.threads, net.config, net.token, net.inputs)) {
            List<RemoteInputChannel> inputs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                RemoteChannelId id = channel(0, 0, i, 0);
                inputs.add(net.inputs.register(id, Types.INT, 1, new Wakeup()));
                (i % 2 == 0 ? net.client.openOutput(net.server.address(), id, Types.INT)
                        : net.client.openOutput(second.address(), id, Types.INT)).offer(Elements.batch(i), 1,
                        TimeUnit.SECONDS);
            }
            assertEquals(1, net.server.connectionCount());
            assertEquals(1, second.connectionCount());
            assertEquals(3, net.client.connection(net.server.address()).openChannels());
            inputs.forEach(RemoteInputChannel::close);
        }
    }

    @Test
    void aSecondOpeningOfAnOpenChannelIsRefusedAndTheFirstGoesOn() throws Exception {
        try (Loopback net = Loopback.start();
                ConnectionManager other = new ConnectionManager(net.threads, net.config, net.token)) {
            RemoteChannelId id = channel(0, 1, 1, 1);
            Wakeup wakeup = new Wakeup();
            RemoteInputChannel in = net.inputs.register(id, Types.INT, 2, wakeup);
            RemoteOutputChannel first = net.client.openOutput(net.server.address(), id, Types.INT);
            Elements.send(first, Elements.batch(1), TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            Elements.next(in, wakeup, Duration.ofMillis(50), deadline); // bound to the first opening
            RemoteOutputChannel second = other.openOutput(net.server.address(), id, Types.INT);
            RemoteChannelException e = Elements.failureOf(second, Elements.batch(99), TIMEOUT);
            assertTrue(e.getMessage().contains("it was already open"), e.getMessage());
            Elements.send(first, ControlEvent.EndOfInput.INSTANCE, TIMEOUT);
            assertEquals(List.of("EndOfInput[]"), Elements.flatten(Elements.untilEnd(in, wakeup, Duration.ofMillis(50),
                    TIMEOUT)));
            in.close();
        }
    }

    @Test
    void noServerThereFailsTheOpeningNamingTheAddress() throws Exception {
        try (Loopback net = Loopback.start()) {
            java.net.InetSocketAddress nowhere = net.server.address();
            net.server.close(); // nothing listens on its port any more
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> net.client.openOutput(nowhere, channel(0, 0, 0, 0), Types.INT));
            assertTrue(e.getMessage().contains("cannot open a data connection to " + nowhere), e.getMessage());
        }
    }

    @Test
    void aRecordItsSerializerCannotWriteFailsTheOfferNamingChannelAndType() throws Exception {
        try (Loopback net = Loopback.start()) {
            RemoteChannelId id = channel(0, 7, 0, 1);
            Loopback.Link link = net.link(id, Types.INT, 2);
            RemoteChannelException e = assertThrows(RemoteChannelException.class,
                    () -> link.out().offer(Elements.batch(1, null, 3), 1, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("cannot send RecordBatch of type " + Types.INT.typeName())
                    && e.getMessage().contains("edge 7, producer 0, consumer 1"), e.getMessage());
            assertTrue(e.getMessage().contains("record 2 of a batch of 3 cannot be written"), e.getMessage());
            link.in().close();
        }
    }
}
