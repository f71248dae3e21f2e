package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.ChannelMetrics;
import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.OperatorMetrics;
import io.sluice.api.functions.Collector;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.config.EngineConfig;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The record counts a finished job reports per operator, and its channels, against counts made in plain Java. */
class OperatorMetricsJobTest {

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void recordCountsPerOperatorMatchTheOracle(int p) throws Exception {
        List<String> lines = WordCountJobTest.lines(99L, 2_000);
        long n = lines.size();
        long words = 0;
        long longWords = 0;
        for (String line : lines) {
            for (String w : line.split(" ")) {
                if (!w.isEmpty()) {
                    words++;
                    if (w.length() > 3) {
                        longWords++;
                    }
                }
            }
        }

        StreamEnvironment env = StreamEnvironment.create().setParallelism(p);
        CollectSink<String> sink = new CollectSink<>();
        env.fromCollection(lines, Types.STRING).name("Lines")
                .flatMap((String line, Collector<String> out) -> {
                    for (String w : line.split(" ")) {
                        if (!w.isEmpty()) {
                            out.collect(w);
                        }
                    }
                }, Types.STRING).name("Split")
                .filter(w -> w.length() > 3).name("Long")
                .rebalance()
                .map(w -> w.toUpperCase(Locale.ROOT)).name("Upper")
                .keyBy(w -> w, Types.STRING)
                .reduce((a, b) -> a).name("First")
                .broadcast()
                .map(w -> w).name("Echo")
                .sinkTo(sink).name("Out");
        JobResult result = env.execute("metrics");
        int collected = sink.results().size();
        sink.clear();

        String where = "parallelism " + p;
        List<OperatorMetrics> expected = List.of(
                new OperatorMetrics(0, "Lines", n, n),
                new OperatorMetrics(1, "Split", n, words),
                new OperatorMetrics(2, "Long", words, longWords),
                new OperatorMetrics(3, "Upper", longWords, longWords),
                new OperatorMetrics(4, "First", longWords, longWords),
                new OperatorMetrics(5, "Echo", longWords * p, longWords * p),
                new OperatorMetrics(6, "Out", longWords * p, 0));
        assertEquals(expected, result.operators(), where);
        assertEquals(longWords * p, collected, where);
        assertEquals(expected.get(3), result.operator("Upper"), where);
        assertThrows(IllegalArgumentException.class, () -> result.operator("NoSuchOperator"));

        if (p == 1) {
            assertTrue(result.channels().isEmpty(), where + ": everything is chained: " + result.channels());
        } else {
            // rebalance, keyBy and broadcast each need p x p channels
            List<String> edges = result.channels().stream().map(c -> c.from() + "->" + c.to()).toList();
            assertEquals(List.of("Long->Upper", "Upper->First", "First->Echo"), edges, where);
            for (ChannelMetrics c : result.channels()) {
                assertEquals(p * p, c.channels(), where + ": " + c);
                assertEquals(EngineConfig.defaults().channelCapacity(), c.capacityBatches(), where + ": " + c);
                assertTrue(c.maxOccupiedBatches() >= 1 && c.maxOccupiedBatches() <= c.capacityBatches(), where + ": " + c);
            }
        }
        assertTrue(result.duration().toNanos() > 0, where);
        assertEquals("metrics", result.jobName());
    }
}
