package io.sluice.runtime.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.KeySelector;
import io.sluice.api.graph.Partitioning;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.state.KeyGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The producer end of an edge: partitioning, batching, events after records, and waiting on a full channel. */
@Timeout(30)
class ChannelWriterTest {

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

    private static ChannelWriter writer(Channel[] c, Partitioning p, int producer, int batchSize) {
        return new ChannelWriter(c, p, producer, 128, batchSize, new Cancellation(), "Target");
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
        ChannelWriter w = writer(c, new Partitioning.Broadcast(), 1, 2);
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
        ChannelWriter w = writer(c, new Partitioning.Rebalance(), 0, 100);
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
        ChannelWriter w = new ChannelWriter(new Channel[] {channel}, new Partitioning.Forward(), 0, 128, 1, new Cancellation(), "T");
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
        ChannelWriter w = new ChannelWriter(new Channel[] {channel}, new Partitioning.Forward(), 0, 128, 1, cancellation, "T");
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
}
