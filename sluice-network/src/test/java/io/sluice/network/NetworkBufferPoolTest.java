package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The network buffer pool bounds what a process's channels may hold: each end reserves its buffers when it opens and
 * gives them back when it ends; a channel the pool cannot serve is refused with one clear error; and the default
 * sizes fit an all-to-all edge at parallelism 64 on 4 workers in the pool of the smallest default worker.
 */
@ExtendWith(LeakDetection.class)
class NetworkBufferPoolTest {
    /**
     * The network memory of a worker with the smallest default {@code --memory} (256 MiB; 10 % of it, as
     * {@code WorkerMemory.networkBytes()} in sluice-cluster says and its test checks).
     */
    static final long SMALLEST_WORKER_NETWORK_BYTES = (256L << 20) / 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final JobId job = JobId.random();

    private RemoteChannelId channel(int edge, int producer, int consumer) {
        return new RemoteChannelId(job, 0, new ChannelId(edge, producer, consumer));
    }

    @Test
    void bothEndsReserveWhileOpenAndGiveBackWhenTheyEnd() throws Exception {
        try (Loopback net = Loopback.start(NetworkConfig.defaults().withCreditsPerChannel(3))) {
            Loopback.Link link = net.link(channel(0, 0, 0), Types.INT, net.config.creditsPerChannel());
            assertEquals(3 + 1, net.pool.used(), "3 credits for the consumer's end, 1 buffer for the producer's");
            Elements.send(link.out(), Elements.batch(1, 2), TIMEOUT);
            Elements.send(link.out(), ControlEvent.EndOfInput.INSTANCE, TIMEOUT);
            Elements.untilEnd(link.in(), link.wakeup(), Duration.ofMillis(20), TIMEOUT);
            awaitUsed(net.pool, 3, "the producer's end gave its buffer back once its end of input was sent");
            link.in().close();
            assertEquals(0, net.pool.used(), "the consumer's end gave its credits back when it closed");

            Loopback.Link cancelled = net.link(channel(0, 1, 0), Types.INT, 2);
            cancelled.out().cancel();
            assertEquals(2, net.pool.used(), "a cancelled producer's end gave its buffer back");
            net.inputs.startAttempt(job, 1);
            assertEquals(0, net.pool.used(), "a superseded consumer's end gave its credits back");
            cancelled.in().close();
            assertEquals(0, net.pool.used(), "closing it after that gives nothing back twice");
        }
    }

    @Test
    void aChannelThePoolCannotServeIsRefusedNamingItAndTheNumbers() throws Exception {
        // 8 buffers: two channels of 2 credits and their producers' ends use 6, a third consumer's end does not fit
        NetworkConfig config = NetworkConfig.defaults().withNetworkMemoryBytes(8L * NetworkConfig.DEFAULT_BUFFER_BYTES);
        try (Loopback net = Loopback.start(config)) {
            List<Loopback.Link> links = new ArrayList<>();
            links.add(net.link(channel(1, 0, 0), Types.INT, 2));
            links.add(net.link(channel(1, 1, 0), Types.INT, 2));
            assertEquals(6, net.pool.used());
            RemoteChannelId third = channel(1, 2, 0);
            InsufficientNetworkBuffersException e = assertThrows(InsufficientNetworkBuffersException.class,
                    () -> net.inputs.register(third, Types.INT, 3, new Wakeup()));
            assertEquals("insufficient network buffers for the consumer's end of " + third + ": it needs 3 buffer(s)"
                    + " of 8 KiB, 2 of the worker's 8 are free (0.1 MiB of network memory); raise the worker's --memory"
                    + " (the network gets 10 % of it) or lower the job's parallelism", e.getMessage());
            assertEquals(2, net.inputs.size(), "nothing was registered");
            assertEquals(6, net.pool.used(), "nothing was reserved");
            net.inputs.register(third, Types.INT, 2, new Wakeup()).close(); // the two free buffers still serve
            for (Loopback.Link l : links) {
                l.out().cancel();
                l.in().close();
            }
            assertEquals(0, net.pool.used());
        }
    }

    @Test
    void anAllToAllEdgeAtParallelism64On4WorkersFitsTheSmallestDefaultWorker() throws Exception {
        // one worker of four, 16 slots: 16 consumers here, each reading the 48 producers on the other three workers;
        // 16 producers here, each writing to the 48 consumers there (over a loopback to this same server)
        NetworkConfig config = NetworkConfig.defaults().withNetworkMemoryBytes(SMALLEST_WORKER_NETWORK_BYTES)
                .withHandshakeTimeout(Duration.ofSeconds(10));
        int parallelism = 64;
        int workers = 4;
        int here = parallelism / workers;
        try (Loopback net = Loopback.start(config)) {
            List<RemoteInputChannel> inputs = new ArrayList<>();
            List<RemoteOutputChannel> outputs = new ArrayList<>();
            long start = System.nanoTime();
            for (int consumer = 0; consumer < here; consumer++) {
                for (int producer = here; producer < parallelism; producer++) {
                    inputs.add(net.inputs.register(channel(0, producer, consumer), Types.LONG,
                            config.creditsPerChannel(), new Wakeup()));
                }
            }
            for (int producer = 0; producer < here; producer++) {
                for (int consumer = here; consumer < parallelism; consumer++) { // edge 1: no clash with the inputs
                    outputs.add(net.client.openOutput(net.server.address(), channel(1, producer, consumer), Types.LONG));
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            int needed = inputs.size() * config.creditsPerChannel() + outputs.size() * RemoteOutputChannel.RESERVED_BUFFERS;
            System.out.printf("NetworkBufferPoolTest: %d input and %d output channels reserve %d of %d buffers of %d"
                    + " KiB (%.1f of %.1f MiB) in %d ms%n", inputs.size(), outputs.size(), net.pool.used(),
                    net.pool.total(), config.bufferBytes() >> 10, net.pool.used() * (double) config.bufferBytes()
                            / (1 << 20), net.pool.total() * (double) config.bufferBytes() / (1 << 20), millis);
            assertEquals(768, inputs.size());
            assertEquals(768, outputs.size());
            assertEquals(needed, net.pool.used());
            assertTrue(net.pool.used() <= net.pool.total());
            outputs.forEach(RemoteOutputChannel::cancel);
            inputs.forEach(RemoteInputChannel::close);
            assertEquals(0, net.pool.used());
        }
    }

    private static void awaitUsed(NetworkBufferPool pool, int used, String what) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (pool.used() != used) {
            assertTrue(System.nanoTime() < end, what + ": " + pool);
            Thread.sleep(5);
        }
    }
}
