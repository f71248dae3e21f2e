package io.sluice.cluster.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.network.ClusterToken;
import io.sluice.network.InsufficientNetworkBuffersException;
import io.sluice.network.JobId;
import io.sluice.network.NetworkConfig;
import io.sluice.network.RemoteChannelId;
import io.sluice.network.RemoteInputChannel;
import io.sluice.network.RemoteOutputChannel;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.plan.ChannelId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A worker's network memory comes from its {@code --memory}: 10 % of it is the pool every remote channel of the worker
 * reserves its buffers in; the fractions add up; the smallest default worker holds one worker's channels of an
 * all-to-all edge at parallelism 64 on 4 workers; and a channel beyond the pool fails naming it and the remedy.
 */
class WorkerDataPlaneTest {
    private static final long MIB = 1L << 20;

    @Test
    void theBudgetsOfAWorkerAddUpAndTheNetworkGetsATenth() {
        for (long total : new long[] {WorkerMemory.MIN_BYTES, 256 * MIB, 3L << 30, 64L << 30}) {
            WorkerMemory memory = new WorkerMemory(total, 4);
            long network = memory.networkBytes();
            assertEquals(Math.min(1L << 30, (long) (total * 0.10)), network, "network of " + total);
            assertTrue(memory.heapBytes() + memory.managedBytes() + network <= total * 0.85 + 1,
                    "heap, managed and network leave at least 15 % to the JVM: " + memory);
            String heap = memory.heapFlag();
            assertEquals(List.of(heap, heap.replace("-Xmx", "-Xms"),
                    "-XX:MaxDirectMemorySize=" + ((network + 64 * MIB) / MIB) + "m"), memory.jvmFlags());
        }
        // the figure NetworkBufferPoolTest (sluice-network) sizes its all-to-all case with
        assertEquals((256 * MIB) / 10, new WorkerMemory(256 * MIB, 16).networkBytes());
    }

    /**
     * A worker's in-process channels hold what one of its network channels holds at most: its credits, its task's
     * floating buffers and one at the producer.
     */
    @Test
    void theEngineOfAWorkerBoundsLocalChannelsInItsNetworksBuffers() {
        NetworkConfig network = NetworkConfig.defaults().withBufferBytes(4096).withCreditsPerChannel(5)
                .withFloatingBuffers(3);
        EngineConfig engine = WorkerDataPlane.engineConfig(network);
        assertEquals(4096, engine.bufferBytes());
        assertEquals(5 + 3 + 1, engine.channelCapacity(), "the credits, floating buffers and one at the producer");
        assertEquals(512, engine.batchSize(), "never fewer records than the embedded cluster's batch");
        assertEquals(EngineConfig.defaults().flushIntervalMillis(), engine.flushIntervalMillis());
        EngineConfig byDefault = WorkerDataPlane.engineConfig(NetworkConfig.defaults());
        assertEquals(EngineConfig.defaults().bufferBytes(), byDefault.bufferBytes(), "the embedded cluster's buffer");
        assertEquals(11, byDefault.channelCapacity(), "2 credits, 8 floating buffers and 1");
    }

    /** Oracle: the sizes written out by hand, from each worker's network memory (10 % of its limit, at most 1 GiB). */
    @Test
    void aWorkerSizesItsBuffersFromItsMemoryKeepingAtLeast3072OfThem() {
        long[][] cases = { // --memory in MiB, buffer in KiB
            {128, 8}, {256, 8}, {470, 8}, {490, 16}, {512, 16}, {950, 16}, {970, 32}, {4096, 32}, {65536, 32}};
        for (long[] c : cases) {
            NetworkConfig config = WorkerDataPlane.config(Optional.empty(), new WorkerMemory(c[0] * MIB, 4));
            assertEquals(c[1] << 10, config.bufferBytes(), c[0] + " MiB");
            assertTrue(config.networkMemoryBytes() / config.bufferBytes() >= 3_072 || c[1] == 8, c[0] + " MiB");
            EngineConfig engine = WorkerDataPlane.engineConfig(config);
            assertEquals(config.bufferBytes(), engine.bufferBytes(), "in-process batches in the same buffers");
            assertEquals(512 * c[1] / 8, engine.batchSize(), c[0] + " MiB: 512 records per 8 KiB");
        }
        assertEquals(16 << 10, WorkerDataPlane.config(Optional.empty(), null).bufferBytes(), "64 MiB, no --memory");
    }

    @Test
    void theSmallestDefaultWorkerHoldsAnAllToAllEdgeAtParallelism64On4WorkersAndRefusesBeyondItsPool()
            throws Exception {
        ClusterToken token = ClusterToken.random();
        JobId job = JobId.random();
        try (WorkerDataPlane data = WorkerDataPlane.start(token, Optional.empty(), new WorkerMemory(256 * MIB, 16))) {
            assertEquals((int) ((256 * MIB / 10) / data.config().bufferBytes()), data.networkBuffers().total());
            InetSocketAddress self = new InetSocketAddress("127.0.0.1", data.port());
            List<RemoteInputChannel> inputs = new ArrayList<>();
            List<RemoteOutputChannel> outputs = new ArrayList<>();
            for (int here = 0; here < 16; here++) {
                for (int there = 16; there < 64; there++) {
                    inputs.add(data.inputs().register(new RemoteChannelId(job, 0, new ChannelId(0, there, here)),
                            Types.LONG, data.config().creditsPerChannel(), new Wakeup()));
                    outputs.add(data.connections().openOutput(self, new RemoteChannelId(job, 0,
                            new ChannelId(1, here, there)), Types.LONG));
                }
            }
            int used = data.networkBuffers().used();
            assertEquals(768 * data.config().creditsPerChannel() + 768, used);
            int more = 0;
            InsufficientNetworkBuffersException refused = null;
            while (refused == null && more < 10_000) { // the pool ends long before that
                try {
                    inputs.add(data.inputs().register(new RemoteChannelId(job, 0, new ChannelId(2, more++, 0)),
                            Types.LONG, data.config().creditsPerChannel(), new Wakeup()));
                } catch (InsufficientNetworkBuffersException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null, "the pool ran out");
            assertTrue(refused.getMessage().contains("consumer's end of channel (edge 2, producer " + (more - 1))
                    && refused.getMessage().contains("raise the worker's --memory")
                    && refused.getMessage().contains("of the worker's " + data.networkBuffers().total() + " are free"),
                    refused.getMessage());
            outputs.forEach(RemoteOutputChannel::cancel);
            inputs.forEach(RemoteInputChannel::close);
            assertEquals(0, data.networkBuffers().used(), "every channel gave its buffers back");
        }
    }
}
