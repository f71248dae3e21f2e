package io.sluice.runtime.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.KeySelector;
import io.sluice.api.graph.Partitioning;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.state.KeyGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The producer end of an edge: partitioning, batching, events after records, and waiting on a full channel. */
@Timeout(30)
class ChannelWriterTest {
    private static final int BUFFER = 8192;

    private static InProcessChannel[] channels(int n, int capacity) {
        InProcessChannel[] c = new InProcessChannel[n];
        for (int i = 0; i < n; i++) {
            c[i] = new InProcessChannel(capacity, new Wakeup());
        }
        return c;
    }

    /** Everything in a channel, records unpacked from their batches, events as themselves. */
    private static List<Object> drain(Channel channel) {
        List<Object> out = new ArrayList<>();
        Object e;
        while ((e = channel.poll()) != null) {
            if (e instanceof RecordBatch b) {
                for (int i = 0; i < b.size(); i++) {
                    out.add(b.record(i));
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** A writer of ints in batches of {@code batchSize}: far from a buffer. */
    private static ChannelWriter writer(Channel[] c, Partitioning p, int producer, int batchSize) {
        return writer(c, p, producer, Types.INT, batchSize);
    }

    private static ChannelWriter writer(Channel[] c, Partitioning p, int producer, TypeSerializer<?> type, int batchSize) {
        return new ChannelWriter(c, p, producer, 128, BatchSizer.of(type, BUFFER, batchSize), new Cancellation(), "Target");
    }

    @Test
    void forwardSendsProducerIToChannelI() {
        for (int producer = 0; producer < 4; producer++) {
            InProcessChannel[] c = channels(4, 100);
            ChannelWriter w = writer(c, new Partitioning.Forward(), producer, 3);
            for (int i = 0; i < 10; i++) {
                w.accept(i, Long.MIN_VALUE);
            }
            w.flush();
            for (int t = 0; t < 4; t++) {
                List<Object> expected = t == producer ? List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9) : List.of();
                assertEquals(expected, drain(c[t]), "producer " + producer + ", channel " + t);
            }
        }
    }

    @Test
    void rebalanceDealsRoundRobinStartingAtTheProducersIndex() {
        for (int producer = 0; producer < 5; producer++) {
            InProcessChannel[] c = channels(3, 100);
            ChannelWriter w = writer(c, new Partitioning.Rebalance(), producer, 4);
            for (int i = 0; i < 30; i++) {
                w.accept(i, Long.MIN_VALUE);
            }
            w.flush();
            for (int t = 0; t < 3; t++) {
                List<Object> expected = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    if ((producer + i) % 3 == t) {
                        expected.add(i);
                    }
                }
                assertEquals(expected, drain(c[t]), "producer " + producer + ", channel " + t);
            }
        }
    }

    @Test
    void broadcastSendsEveryRecordToEveryChannel() {
        InProcessChannel[] c = channels(3, 100);
        ChannelWriter w = writer(c, new Partitioning.Broadcast(), 1, Types.STRING, 2);
        for (int i = 0; i < 7; i++) {
            w.accept("r" + i, Long.MIN_VALUE);
        }
        w.flush();
        for (int t = 0; t < 3; t++) {
            assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6"), drain(c[t]), "channel " + t);
        }
    }

    @Test
    void hashSendsEachKeyToTheSubtaskOwningItsKeyGroup() {
        InProcessChannel[] c = channels(4, 1_000);
        KeySelector<Integer, Integer> selector = v -> v % 50;
        ChannelWriter w = writer(c, new Partitioning.Hash(selector), 0, 16);
        for (int i = 0; i < 1_000; i++) {
            w.accept(i, Long.MIN_VALUE);
        }
        w.flush();
        int total = 0;
        for (int t = 0; t < 4; t++) {
            for (Object r : drain(c[t])) {
                int key = (Integer) r % 50;
                assertEquals(KeyGroups.subtaskOf(KeyGroups.keyGroupOf(key, 128), 128, 4), t, "record " + r);
                total++;
            }
        }
        assertEquals(1_000, total);
    }

    @Test
    void hashSendsEachKeyToItsOwnerAtAnyNumberOfKeyGroupsAndTargets() {
        int[][] cases = {{7, 3}, {100, 7}, {128, 1}, {1_000, 13}, {32_768, 5}, {32_768, 300}};
        for (int[] c : cases) {
            int maxParallelism = c[0];
            int targets = c[1];
            InProcessChannel[] channels = channels(targets, 2_000);
            KeySelector<Integer, Integer> selector = v -> v * 7919;
            ChannelWriter w = new ChannelWriter(channels, new Partitioning.Hash(selector), 0, maxParallelism,
                    BatchSizer.of(Types.INT, BUFFER, 16), new Cancellation(), "Target");
            for (int i = 0; i < 2_000; i++) {
                w.accept(i, Long.MIN_VALUE);
            }
            w.flush();
            int total = 0;
            for (int t = 0; t < targets; t++) {
                for (Object r : drain(channels[t])) {
                    int keyGroup = KeyGroups.keyGroupOf((Integer) r * 7919, maxParallelism);
                    assertEquals(KeyGroups.subtaskOf(keyGroup, maxParallelism, targets), t,
                            "record " + r + " with " + maxParallelism + " key groups and " + targets + " targets");
                    total++;
                }
            }
            assertEquals(2_000, total, maxParallelism + " key groups, " + targets + " targets");
        }
    }

    @Test
    void aFailingKeySelectorIsReportedAgainstTheTarget() {
        InProcessChannel[] c = channels(2, 10);
        KeySelector<Integer, Integer> selector = v -> {
            throw new IllegalStateException("no key");
        };
        ChannelWriter w = writer(c, new Partitioning.Hash(selector), 0, 16);
        OperatorException e = assertThrows(OperatorException.class, () -> w.accept(1, 0L));
        assertTrue(e.operatorName().contains("Target"), e.operatorName());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void fullBatchesAreSentAtOnceAndPartialOnesOnFlushWithTheirTimestamps() {
        InProcessChannel[] c = channels(1, 100);
        ChannelWriter w = writer(c, new Partitioning.Forward(), 0, 4);
        for (int i = 0; i < 10; i++) {
            w.accept(i, 100L + i);
        }
        // two full batches went out; the last two records wait in the open batch
        RecordBatch first = (RecordBatch) c[0].poll();
        RecordBatch second = (RecordBatch) c[0].poll();
        assertNull(c[0].poll());
        assertEquals(4, first.size());
        assertEquals(4, second.size());
        assertEquals(List.of(0, 1, 2, 3), List.of(first.record(0), first.record(1), first.record(2), first.record(3)));
        assertEquals(107L, second.timestamp(3));
        w.flush();
        RecordBatch rest = (RecordBatch) c[0].poll();
        assertEquals(2, rest.size());
        assertEquals(9, rest.record(1));
        assertEquals(109L, rest.timestamp(1));
        w.flush(); // nothing open: nothing sent
        assertNull(c[0].poll());
    }

    @Test
    void eventsFollowTheRecordsSentBeforeThemOnEveryChannel() {
        InProcessChannel[] c = channels(2, 100);
        ChannelWriter w = writer(c, new Partitioning.Rebalance(), 0, Types.STRING, 100);
        w.accept("a", 1L);
        w.accept("b", 2L);
        w.acceptWatermark(5L);
        w.accept("c", 6L);
        w.broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        assertEquals(List.of("a", new ControlEvent.Watermark(5L), "c", ControlEvent.EndOfInput.INSTANCE), drain(c[0]));
        assertEquals(List.of("b", new ControlEvent.Watermark(5L), ControlEvent.EndOfInput.INSTANCE), drain(c[1]));
    }

    @Test
    void aFullChannelMakesTheProducerWaitUntilTheConsumerTakesABatch() throws Exception {
        Wakeup consumerWakeup = new Wakeup();
        InProcessChannel channel = new InProcessChannel(2, consumerWakeup);
        ChannelWriter w = new ChannelWriter(new Channel[] {channel}, new Partitioning.Forward(), 0, 128,
                BatchSizer.of(Types.INT, BUFFER, 1), new Cancellation(), "T");
        w.accept(1, 0L);
        w.accept(2, 0L);
        assertEquals(2, channel.maxOccupancy());
        CountDownLatch sent = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            w.accept(3, 0L); // blocks: the channel holds 2 batches already
            sent.countDown();
        });
        producer.start();
        assertTrue(!sent.await(100, TimeUnit.MILLISECONDS), "the third batch must wait for room");
        assertEquals(1, ((RecordBatch) channel.poll()).record(0));
        assertTrue(sent.await(20, TimeUnit.SECONDS), "room in the channel lets the producer go on");
        producer.join();
        assertEquals(List.of(2, 3), drain(channel));
        assertEquals(2, channel.maxOccupancy(), "never more than the capacity");
        assertEquals(2, channel.capacity());
    }

    @Test
    void aProducerWaitingOnAFullChannelStopsWhenTheJobIsCancelled() throws Exception {
        InProcessChannel channel = new InProcessChannel(1, new Wakeup());
        Cancellation cancellation = new Cancellation();
        ChannelWriter w = new ChannelWriter(new Channel[] {channel}, new Partitioning.Forward(), 0, 128,
                BatchSizer.of(Types.INT, BUFFER, 1), cancellation, "T");
        w.accept(1, 0L);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                w.accept(2, 0L);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        producer.start();
        Thread.sleep(50);
        cancellation.cancel(); // no interrupt: the waiting producer re-checks the flag by itself
        producer.join(20_000);
        assertTrue(!producer.isAlive(), "the producer stopped waiting");
        assertInstanceOf(Cancellation.CancelledException.class, thrown.get());
    }

    /** The bytes of {@code batch} as a network channel writes it, from each record's measured serialized size. */
    private static long serializedBytes(RecordBatch batch) {
        long bytes = BatchSizer.BATCH_HEADER_BYTES;
        for (int i = 0; i < batch.size(); i++) {
            bytes += SampledRecordSizeTest.measured(Types.BYTES, (byte[]) batch.record(i))
                    + (batch.timestamp(i) != Long.MIN_VALUE ? BatchSizer.TIMESTAMP_BYTES : 0);
        }
        return bytes;
    }

    /**
     * Records of 198 bytes serialized (196 and a length), with timestamps: a batch closes when one more record would
     * not fit a buffer, long before the batch size of 512 records.
     */
    @Test
    void batchesOfRecordsOfAbout200BytesCloseAtTheBufferSize() {
        InProcessChannel[] c = channels(1, 1_000);
        ChannelWriter w = writer(c, new Partitioning.Forward(), 0, Types.BYTES, 512);
        for (int i = 0; i < 2_000; i++) {
            w.accept(new byte[196], i);
        }
        int batches = 0;
        for (ChannelElement e; (e = c[0].poll()) != null; batches++) {
            RecordBatch batch = (RecordBatch) e;
            long bytes = serializedBytes(batch);
            long perRecord = bytes / batch.size() - BatchSizer.BATCH_HEADER_BYTES / batch.size();
            assertTrue(bytes <= BUFFER, "batch " + batches + ": " + bytes + " bytes");
            assertTrue(bytes + perRecord > BUFFER, "batch " + batches + ": one more record of " + perRecord + " bytes"
                    + " would have fit, yet it closed at " + batch.size() + " records, " + bytes + " bytes");
        }
        assertEquals(2_000 / 39, batches, "39 records a batch (6 + 39 x (8 + 198) = 8,040 bytes)");
    }

    /**
     * Records of 150 to 250 bytes at random, whose size the writer estimates from samples: when a consumer that stops
     * reading stops the producer, the channel holds its capacity in batches, each about a buffer of bytes and never
     * more records than a buffer holds of the smallest ones; far fewer than the capacity times the batch size.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 20240607})
    void recordsInFlightAtBackpressureStayWithinTheCapacityInBuffers(long seed) throws Exception {
        int capacity = 3;
        InProcessChannel channel = new InProcessChannel(capacity, new Wakeup());
        Cancellation cancellation = new Cancellation();
        ChannelWriter w = new ChannelWriter(new Channel[] {channel}, new Partitioning.Forward(), 0, 128,
                BatchSizer.of(Types.BYTES, BUFFER, 512), cancellation, "T");
        AtomicInteger emitted = new AtomicInteger();
        Random random = new Random(seed);
        Thread producer = Thread.ofPlatform().name("producer").start(() -> {
            try {
                for (int i = 0; i < 100_000; i++) {
                    w.accept(new byte[150 + random.nextInt(101) - 2], i); // 150 to 250 bytes with a 2-byte length
                    emitted.incrementAndGet();
                }
            } catch (Cancellation.CancelledException stopped) {
                // the test is done with it
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (emitted.get() < 5_000 && System.nanoTime() < deadline) { // a consumer reads: the estimate settles
            if (channel.poll() == null) {
                Thread.sleep(1);
            }
        }
        int last = -1; // the consumer stops reading
        for (int waited = 0; waited < 200 && emitted.get() != last; waited++) { // until the producer stands still
            last = emitted.get();
            Thread.sleep(50);
        }
        assertEquals(capacity, channel.maxOccupancy(), "seed " + seed + ": the channel filled up");
        cancellation.cancel(); // the waiting producer gives up: what the channel holds now is what it held at backpressure
        producer.join(20_000);
        assertTrue(!producer.isAlive(), "seed " + seed + ": the producer stopped");
        long records = 0;
        long bytes = 0;
        int smallestPerBuffer = (BUFFER - BatchSizer.BATCH_HEADER_BYTES) / (150 + BatchSizer.TIMESTAMP_BYTES);
        for (ChannelElement e; (e = channel.poll()) != null; ) {
            RecordBatch batch = (RecordBatch) e;
            assertTrue(batch.size() <= smallestPerBuffer, "seed " + seed + ": a batch of " + batch.size() + " records");
            records += batch.size();
            bytes += serializedBytes(batch);
        }
        System.out.printf("ChannelWriterTest: seed %d: %d records, %,d bytes in a channel of %d buffers of %,d bytes%n",
                seed, records, bytes, capacity, BUFFER);
        assertTrue(records <= (long) capacity * smallestPerBuffer, "seed " + seed + ": " + records + " records");
        assertTrue(bytes <= capacity * BUFFER * 1.1, "seed " + seed + ": " + bytes + " bytes in flight");
        assertTrue(bytes >= capacity * BUFFER * 0.8, "seed " + seed + ": " + bytes + " bytes: the buffers were filled");
    }
}
