package io.sluice.runtime.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A keyed running reduce over a generated sequence with scattered keys. */
class KeyedReduceJobTest {

    /** Sum and count of the values of one key so far. */
    record Acc(int key, long sum, long count) {}

    static final int KEYS = 97;
    static final long N = 200_000;

    /** A scattered key: neighbouring values land on unrelated keys. */
    static int keyOf(long v) {
        return Math.floorMod(Long.hashCode(v * 0x9E3779B97F4A7C15L), KEYS);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void runningSumAndCountPerKeyMatchBruteForce(int parallelism) throws Exception {
        long[] sums = new long[KEYS];
        long[] counts = new long[KEYS];
        for (long v = 1; v <= N; v++) {
            sums[keyOf(v)] += v;
            counts[keyOf(v)]++;
        }

        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<Acc> sink = new CollectSink<>();
        env.generateSequence(1, N).name("Numbers")
                .map(v -> new Acc(keyOf(v), v, 1), Types.of(Acc.class)).name("ToAcc")
                .keyBy(Acc::key, Types.INT)
                .reduce((a, b) -> new Acc(a.key(), a.sum() + b.sum(), a.count() + b.count())).name("Reduce")
                .sinkTo(sink).name("Out");
        JobResult result = env.execute("keyed-reduce");
        List<Acc> out = sink.results();
        sink.clear();

        String where = "parallelism " + parallelism;
        assertEquals(N, out.size(), where + ": one output per input record");
        // per key: the running counts are exactly 1..n, and the output with count n holds the full sum
        Map<Integer, List<Acc>> byKey = new HashMap<>();
        for (Acc a : out) {
            byKey.computeIfAbsent(a.key(), k -> new ArrayList<>()).add(a);
        }
        for (int k = 0; k < KEYS; k++) {
            List<Acc> accs = byKey.get(k);
            assertNotNull(accs, where + ": key " + k + " missing");
            assertEquals(counts[k], accs.size(), where + ": outputs of key " + k);
            boolean[] seen = new boolean[accs.size() + 1];
            Acc last = null;
            for (Acc a : accs) {
                int c = (int) a.count();
                assertFalse(c < 1 || c > accs.size() || seen[c], where + ": key " + k + " count " + c + " out of range or repeated");
                seen[c] = true;
                if (c == accs.size()) {
                    last = a;
                }
            }
            assertEquals(new Acc(k, sums[k], counts[k]), last, where + ": final value of key " + k);
        }
        assertEquals(N, result.operator("Numbers").recordsOut(), where);
        assertEquals(N, result.operator("Reduce").recordsIn(), where);
        assertEquals(N, result.operator("Reduce").recordsOut(), where);
        assertEquals(N, result.operator("Out").recordsIn(), where);
    }
}
