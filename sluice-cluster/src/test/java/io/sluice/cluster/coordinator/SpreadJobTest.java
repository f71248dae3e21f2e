package io.sluice.cluster.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.EnvironmentContext;
import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.worker.Worker;
import io.sluice.cluster.worker.WorkerDataPlane;
import io.sluice.network.ClusterToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job whose tasks are spread over three workers of one slot each (in this JVM, each with its own data server):
 * a keyed count over the network gives the brute-force answer.
 */
class SpreadJobTest {

    @Test
    @Timeout(120)
    void aKeyedCountOverThreeWorkersGivesTheOraclesAnswer(@TempDir Path tmp) throws Exception {
        ClusterToken token = ClusterToken.create(tmp.resolve("token"));
        CollectSink<String> sink = new CollectSink<>();
        JobMains mains = (argv, jars, executor) -> runCount(executor, sink);
        List<AutoCloseable> open = new ArrayList<>();
        Coordinator coordinator = Coordinator.start(Coordinator.Settings.defaults(), token, tmp.resolve("c"),
                new Jobs.Settings(tmp.resolve("ckp"), 30_000, mains, true));
        open.add(coordinator);
        try {
            for (int w = 0; w < 3; w++) {
                // One worker's data server listens on IPv6 loopback: every task reaches a worker at the address that
                // worker registered (its --bind or --advertise), not at an address all workers share.
                String host = w == 1 ? "::1" : "127.0.0.1";
                WorkerDataPlane data = WorkerDataPlane.start(token, java.util.Optional.empty(), null, host);
                open.add(data);
                open.add(Worker.join("127.0.0.1", coordinator.address().getPort(), token, java.util.Optional.empty(),
                        RegisterRequest.newInstance(host, data.port(), 1, ProcessHandle.current().pid()),
                        tmp.resolve("w" + w), data, () -> {}));
            }
            try (var client = new io.sluice.cluster.client.ClusterClient("127.0.0.1", coordinator.address().getPort(), token, java.util.Optional.empty())) {
                String id = client.submit(List.of("count"), List.of());
                long deadline = System.nanoTime() + 60_000_000_000L;
                String state;
                while (!List.of("FINISHED", "FAILED", "CANCELLED").contains(state = client.job(id).state())) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the job did not end within 60 s: " + client.job(id));
                    }
                    Thread.sleep(50);
                }
                assertEquals("FINISHED", state, client.job(id).toString());
            }
            Map<Long, Long> expected = new TreeMap<>();
            LongStream.rangeClosed(1, 30_000).forEach(x -> expected.merge(x % 97, 1L, Long::sum));
            Map<Long, Long> actual = new TreeMap<>();
            for (String line : sink.results()) {
                String[] kv = line.split("=");
                actual.merge(Long.parseLong(kv[0]), Long.parseLong(kv[1]), Math::max);
            }
            assertEquals(expected, actual);
        } finally {
            for (AutoCloseable c : open.reversed()) { // workers first: they would wait for a coordinator gone
                c.close();
            }
            sink.clear();
        }
    }

    private static void runCount(JobExecutor executor, CollectSink<String> sink) throws Exception {
        EnvironmentContext.callWith(EnvironmentSettings.defaults().withExecutor(executor).withParallelism(3), () -> {
            StreamEnvironment env = StreamEnvironment.create();
            // Each record carries its key and a count of 1 (key * 100000 + 1); the running reduce adds counts.
            env.generateSequence(1, 30_000)
                    .map(x -> x % 97 * 100_000L + 1L, Types.LONG)
                    .keyBy(v -> v / 100_000L, Types.LONG)
                    .reduce((a, b) -> a + b % 100_000L)
                    .map(v -> v / 100_000L + "=" + v % 100_000L, Types.STRING)
                    .sinkTo(sink);
            env.execute("spread count");
            return null;
        });
    }
}
