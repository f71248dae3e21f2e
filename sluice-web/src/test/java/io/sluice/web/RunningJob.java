package io.sluice.web;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.OperatorMetrics;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkWriter;
import io.sluice.api.source.SequenceSource;
import io.sluice.network.ClusterToken;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.monitor.JobRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A job running on the embedded cluster behind a {@link WebServer}: a sequence source of 2 splits at 4,000 records/s
 * with event time = value (so split {@code seq-0}, the low half of the range, always holds the watermark back), a
 * map, and a sink of parallelism 1 that sleeps 2 ms per record (so the source's task is backpressured). Checkpoints
 * every 300 ms into {@code checkpoints}. Closing cancels the job and stops the server.
 */
final class RunningJob implements AutoCloseable {
    static final String SOURCE = "numbers";
    static final String MAP = "tag";
    static final String SINK = "slow sink";

    final ClusterToken token = ClusterToken.random();
    final JobRegistry registry = new JobRegistry(2);
    final JobClient client;
    final WebServer server;
    final Path checkpoints;

    RunningJob(Path dir) throws Exception {
        checkpoints = dir.resolve("checkpoints");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .setExecutor(new LocalExecutor(EngineConfig.defaults(), registry))
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(300)).withDirectory(checkpoints.toString()));
        env.fromSource(new SequenceSource(0, 1_000_000_000L, 4_000),
                        WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ZERO).withTimestampAssigner((v, t) -> v),
                        SOURCE)
                .map(v -> v + 1).name(MAP)
                .sinkTo(slowSink()).name(SINK).setParallelism(1);
        client = env.executeAsync("web test job");
        WebServer started;
        try {
            started = WebServer.start(registry, WebServer.Settings.loopback(token));
        } catch (Exception e) {
            client.cancel();
            throw e;
        }
        server = started;
    }

    private static Sink<Long> slowSink() {
        return context -> new SinkWriter<>() {
            @Override
            public void write(Long record) throws Exception {
                Thread.sleep(2);
            }

            @Override
            public void close() {}
        };
    }

    /** The records operator {@code name} emitted so far, as the job's client counts them. */
    long recordsOut(String name) {
        return client.progress().operators().stream().filter(o -> o.name().equals(name))
                .mapToLong(OperatorMetrics::recordsOut).sum();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            client.cancel();
            try {
                client.await();
            } catch (Exception expected) {
                // cancelled
            }
        } finally {
            server.close();
        }
    }
}
