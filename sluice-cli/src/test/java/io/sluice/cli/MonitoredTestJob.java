package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkWriter;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.types.Types;
import java.time.Duration;

/**
 * A bounded job for monitoring on a cluster ({@code run io.sluice.cli.MonitoredTestJob --cluster DIR}): a sequence
 * source of parallelism 2 emitting {@link #RECORDS} records at 10,000/s, split {@code seq-0} the low half (event time
 * = value, so it always holds the watermark back), a map, and a sink of parallelism 1 that sleeps 2 ms per record
 * for its first {@link #SLOW_MILLIS} ms (so the sources are backpressured) and then runs fast, so the job finishes
 * after about 12 s with every count known: each source subtask emits half the records, the map and sink see all.
 */
public final class MonitoredTestJob {
    static final long RECORDS = 100_000;
    static final long SLOW_MILLIS = 10_000;
    static final String SOURCE = "numbers";
    static final String MAP = "tag";
    static final String SINK = "slow sink";

    private MonitoredTestJob() {}

    public static void main(String[] args) throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.fromSource(new SequenceSource(0, RECORDS - 1, 10_000),
                        WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ZERO).withTimestampAssigner((v, t) -> v),
                        SOURCE)
                .map(v -> v + 1, Types.LONG).name(MAP)
                .sinkTo(slowAtFirst()).name(SINK).setParallelism(1);
        env.execute("monitored test job");
    }

    private static Sink<Long> slowAtFirst() {
        return context -> new SinkWriter<>() {
            private final long fastFrom = System.nanoTime() + SLOW_MILLIS * 1_000_000;

            @Override
            public void write(Long record) throws Exception {
                if (System.nanoTime() < fastFrom) {
                    Thread.sleep(2);
                }
            }

            @Override
            public void close() {}
        };
    }
}
