package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.graph.Partitioning;
import io.sluice.api.types.Types;
import io.sluice.runtime.channel.BatchSizer;
import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ChannelWriter;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.InProcessChannel;
import io.sluice.runtime.channel.RecordBatch;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local and remote channels are bounded in the same unit: a producer writing records of about 200 bytes through a
 * {@link ChannelWriter} to a consumer that does not read is stopped, on an in-process channel sized as a worker sizes
 * it ({@link NetworkConfig#buffersPerChannel()} batches) and on a network channel on loopback alike, with the same
 * records in flight: batches that close at one buffer (the oracle: {@link ChannelCodec}'s bytes), the consumer's
 * credits and floating buffers of them and the one waiting at the producer.
 */
@ExtendWith(LeakDetection.class)
class LocalAndRemoteChannelsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH_SIZE = 512;

    private final NetworkConfig config = NetworkConfig.defaults();
    private final ChannelCodec codec = new ChannelCodec(Types.BYTES);

    /** Records of one size: 196 bytes and a length of 2, each after its timestamp: 39 fit a buffer of 8 KiB. */
    @Test
    void recordsOfOneSizeFillTheSameBuffersLocallyAndRemotely() throws Exception {
        List<RecordBatch> local = heldLocally(i -> new byte[196]);
        List<RecordBatch> remote = heldRemotely(i -> new byte[196]);

        int perBuffer = local.getFirst().size();
        for (RecordBatch batch : local) {
            assertEquals(perBuffer, batch.size(), "every batch closes at the same size");
            assertTrue(bytes(batch) <= config.bufferBytes(), bytes(batch) + " bytes");
        }
        assertTrue(bytes(withOneMore(local.getFirst())) > config.bufferBytes(), "a batch of " + perBuffer
                + " records closed at the buffer size: one more would not have fit");
        assertEquals(39, perBuffer);
        assertEquals(config.buffersPerChannel(), local.size(), "the local channel held its capacity");
        assertEquals(local.size(), remote.size(), "the remote channel held as many batches, each one frame");
        assertEquals(records(local), records(remote), "and as many records");
        assertEquals((long) config.buffersPerChannel() * perBuffer, records(local));
        System.out.printf("LocalAndRemoteChannelsTest: %d records of 198 bytes in flight on a local and on a remote"
                + " channel (%d buffers of %,d bytes); %,d on a local one before batches were bounded in bytes%n",
                records(local), config.buffersPerChannel(), config.bufferBytes(), 8L * BATCH_SIZE);
    }

    /**
     * Records of 150 to 250 bytes at random, their size estimated from samples: neither channel holds more than its
     * buffers of the smallest records, and the two hold about as many.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 20240607})
    void recordsOfVaryingSizeFillAboutTheSameBuffersLocallyAndRemotely(long seed) throws Exception {
        Random localSizes = new Random(seed);
        Random remoteSizes = new Random(seed);
        List<RecordBatch> local = heldLocally(i -> new byte[148 + localSizes.nextInt(101)]);
        List<RecordBatch> remote = heldRemotely(i -> new byte[148 + remoteSizes.nextInt(101)]);

        long bound = (long) config.buffersPerChannel()
                * ((config.bufferBytes() - BatchSizer.BATCH_HEADER_BYTES) / (150 + BatchSizer.TIMESTAMP_BYTES));
        long bytes = 0;
        for (RecordBatch batch : local) {
            bytes += bytes(batch);
        }
        System.out.printf("LocalAndRemoteChannelsTest: seed %d: %d records (%,d bytes) in flight locally, %d remotely"
                + " (%d frames); at most %d of 150 bytes%n", seed, records(local), bytes, records(remote),
                remote.size(), bound);
        assertEquals(config.buffersPerChannel(), local.size(), "seed " + seed + ": the local channel held its capacity");
        assertTrue(records(local) <= bound, "seed " + seed + ": " + records(local) + " records held locally");
        assertTrue(records(remote) <= bound, "seed " + seed + ": " + records(remote) + " records held remotely");
        assertTrue(bytes <= (long) config.buffersPerChannel() * config.bufferBytes() * 11 / 10,
                "seed " + seed + ": " + bytes + " bytes held locally");
        assertTrue(Math.abs(records(local) - records(remote)) <= records(local) / 5, "seed " + seed + ": "
                + records(local) + " records held locally, " + records(remote) + " remotely");
    }

    /** Makes record {@code i}. */
    private interface Records {
        byte[] make(int i);
    }

    /** The batches an in-process channel sized as a worker sizes it holds when its producer is stopped. */
    private List<RecordBatch> heldLocally(Records records) throws InterruptedException {
        InProcessChannel channel = new InProcessChannel(config.buffersPerChannel(), new Wakeup());
        fillUntilStopped(channel, records);
        List<RecordBatch> held = new ArrayList<>();
        for (ChannelElement e; (e = channel.poll()) != null; ) {
            held.add((RecordBatch) e);
        }
        return held;
    }

    /**
     * The batches a network channel on loopback, its consumer granting the default credits and lending it the default
     * floating buffers, held when its producer was stopped: read once it was (then its end of input is sent, so that
     * the reading knows when all came).
     */
    private List<RecordBatch> heldRemotely(Records records) throws Exception {
        try (Loopback net = Loopback.start(config)) {
            RemoteChannelId id = new RemoteChannelId(JobId.random(), 0, new ChannelId(0, 0, 0));
            FloatingBuffers floating = FloatingBuffers.reserve(net.pool, config.floatingBuffers(), id);
            Loopback.Link link = net.link(id, Types.BYTES, config.creditsPerChannel(), floating);
            fillUntilStopped(link.out(), records);
            int window = config.creditsPerChannel() + config.floatingBuffers();
            assertEquals(window, link.in().maxOccupancy(), "every credit and floating buffer was used");
            Thread ending = Elements.producer(link.out(), List.of(ControlEvent.EndOfInput.INSTANCE), TIMEOUT);
            List<ChannelElement> received = Elements.untilEnd(link.in(), link.wakeup(), Duration.ofMillis(10), TIMEOUT);
            ending.join(TIMEOUT.toMillis());
            assertTrue(link.in().maxHeldBytes() <= (long) window * config.bufferBytes(),
                    "held at the receiver: " + link.in().maxHeldBytes());
            link.in().close();
            floating.close();
            List<RecordBatch> held = new ArrayList<>();
            for (ChannelElement e : received.subList(0, received.size() - 1)) {
                held.add((RecordBatch) e);
            }
            return held;
        }
    }

    /**
     * Writes records through a {@link ChannelWriter} sized as the engine sizes it, on a thread of its own, until the
     * channel stops it (no progress for 200 ms); then stops the producer, which drops the batch it was trying to send.
     */
    private void fillUntilStopped(Channel channel, Records records) throws InterruptedException {
        Cancellation cancellation = new Cancellation();
        ChannelWriter writer = new ChannelWriter(new Channel[] {channel}, new Partitioning.Forward(), 0, 128,
                BatchSizer.of(Types.BYTES, config.bufferBytes(), BATCH_SIZE), cancellation, "consumer");
        AtomicInteger emitted = new AtomicInteger();
        Thread producer = Thread.ofPlatform().name("producer").start(() -> {
            try {
                for (int i = 0; i < 100_000; i++) {
                    writer.accept(records.make(i), i);
                    emitted.incrementAndGet();
                }
            } catch (Cancellation.CancelledException stopped) {
                // the test stopped it
            }
        });
        int last = -1;
        for (int waited = 0; waited < 100 && emitted.get() != last; waited++) {
            last = emitted.get();
            Thread.sleep(200);
        }
        cancellation.cancel();
        producer.join(TIMEOUT.toMillis());
        assertFalse(producer.isAlive(), "the producer stopped");
        assertTrue(emitted.get() < 100_000, "the channel stopped the producer");
    }

    /** The bytes of {@code batch} as the network channel writes it. */
    private int bytes(RecordBatch batch) throws IOException {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
        try {
            codec.encode(batch, buf);
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }

    /** {@code batch} and one more record like its first. */
    private static RecordBatch withOneMore(RecordBatch batch) {
        Object[] records = new Object[batch.size() + 1];
        long[] timestamps = new long[records.length];
        for (int i = 0; i < batch.size(); i++) {
            records[i] = batch.record(i);
            timestamps[i] = batch.timestamp(i);
        }
        records[batch.size()] = batch.record(0);
        timestamps[batch.size()] = batch.timestamp(0);
        return RecordBatch.of(records, timestamps);
    }

    private static long records(List<RecordBatch> batches) {
        return batches.stream().mapToLong(RecordBatch::size).sum();
    }
}
