package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.functions.Collector;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.restore.OperatorStateRedistribution;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Operator (non-keyed) state restored at the same and at other parallelisms: list state dealt round-robin over the new
 * subtasks (each subtask keeps its own at the same parallelism), union state whole in every subtask, broadcast state
 * copied to every subtask.
 */
class OperatorStateTest {
    static final ListStateDescriptor<String> BUFFER = new ListStateDescriptor<>("buffer", Types.STRING);
    static final ListStateDescriptor<String> SEEN = new ListStateDescriptor<>("seen", Types.STRING);

    /** Adds each record to its subtask's list state and to the union state. */
    static final class Buffering implements ProcessFunction<String, String> {
        ListState<String> buffer;
        ListState<String> seen;

        @Override
        public void open(RuntimeContext context) {
            buffer = context.getOperatorListState(BUFFER);
            seen = context.getUnionListState(SEEN);
        }

        @Override
        public void processElement(String value, Context context, Collector<String> out) {
            buffer.add(value);
            seen.add(value);
        }
    }

    /** Snapshots of {@code counts.length} subtasks; subtask i buffered {@code counts[i]} records named {@code i.n}. */
    private static List<HarnessSnapshot> snapshotsOf(int... counts) throws Exception {
        List<HarnessSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            var h = new ProcessFunctionHarness<>(new Subtask(i, counts.length, 128), new Buffering());
            for (int n = 0; n < counts[i]; n++) {
                h.processElement(i + "." + n);
            }
            snapshots.add(h.snapshot());
            h.close();
        }
        return snapshots;
    }

    /** The state of every subtask of {@code parallelism} restored from {@code snapshots}. */
    private static List<Buffering> restoreAll(List<HarnessSnapshot> snapshots, int parallelism) throws Exception {
        List<Buffering> functions = new ArrayList<>();
        for (int j = 0; j < parallelism; j++) {
            Buffering f = new Buffering();
            var h = ProcessFunctionHarness.restoredFrom(snapshots, new Subtask(j, parallelism, 128), f);
            h.open();
            functions.add(f);
        }
        return functions;
    }

    /** All records of the old subtasks in old-subtask order: the sequence that is dealt. */
    private static List<String> all(int... counts) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            for (int n = 0; n < counts[i]; n++) {
                all.add(i + "." + n);
            }
        }
        return all;
    }

    @Test
    void listStateIsDealtRoundRobinAtAnotherParallelism() throws Exception {
        int[][] shapes = {{10, 5}, {10, 5}, {3, 0, 7, 1}, {4, 4}};
        int[] newParallelisms = {3, 1, 2, 5};
        for (int s = 0; s < shapes.length; s++) {
            int[] counts = shapes[s];
            int p = newParallelisms[s];
            String where = counts.length + " -> " + p + " subtasks";
            List<Buffering> restored = restoreAll(snapshotsOf(counts), p);
            List<String> dealt = all(counts);
            List<String> union = new ArrayList<>();
            for (int j = 0; j < p; j++) {
                List<String> expected = new ArrayList<>();
                for (int n = j; n < dealt.size(); n += p) {
                    expected.add(dealt.get(n));
                }
                assertEquals(expected, restored.get(j).buffer.get(), where + ", subtask " + j);
                union.addAll(restored.get(j).buffer.get());
            }
            assertEquals(dealt.stream().sorted().toList(), union.stream().sorted().toList(), where + ": nothing lost or duplicated");
        }
    }

    @Test
    void atTheSameParallelismEachSubtaskGetsItsOwnListBack() throws Exception {
        int[] counts = {3, 1, 4};
        List<Buffering> restored = restoreAll(snapshotsOf(counts), 3);
        for (int j = 0; j < 3; j++) {
            List<String> own = new ArrayList<>();
            for (int n = 0; n < counts[j]; n++) {
                own.add(j + "." + n);
            }
            assertEquals(own, restored.get(j).buffer.get(), "subtask " + j);
        }
        // Also when a harness is restored from its own snapshot only.
        Buffering f = new Buffering();
        var h = ProcessFunctionHarness.restoredFrom(List.of(snapshotsOf(counts).get(2)), new Subtask(2, 3, 128), f);
        h.open();
        assertEquals(List.of("2.0", "2.1", "2.2", "2.3"), f.buffer.get());
    }

    @Test
    void unionStateGoesWholeToEverySubtask() throws Exception {
        int[] counts = {10, 5};
        for (int p : new int[] {1, 2, 3}) {
            List<Buffering> restored = restoreAll(snapshotsOf(counts), p);
            for (int j = 0; j < p; j++) {
                assertEquals(all(counts), restored.get(j).seen.get(), p + " subtasks, subtask " + j);
            }
        }
    }

    @Test
    void unclaimedOperatorStatePassesThroughASnapshot() throws Exception {
        var h = ProcessFunctionHarness.restoredFrom(snapshotsOf(2, 3), new Subtask(0, 1, 128),
                (String value, ProcessFunction.Context ctx, Collector<String> out) -> {});
        h.processElement("ignored");
        HarnessSnapshot passed = h.snapshot();
        List<Buffering> restored = restoreAll(List.of(passed), 1);
        assertEquals(all(2, 3), restored.getFirst().buffer.get());
        assertEquals(all(2, 3), restored.getFirst().seen.get());
    }

    @Test
    void broadcastStateIsCopiedToEverySubtask() {
        MapStateDescriptor<String, Integer> rules = new MapStateDescriptor<>("rules", Types.STRING, Types.INT);
        Map<String, Integer> content = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            content.put("r" + i, i);
        }
        List<OperatorStateSnapshot> old = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // every old subtask holds the same map (the broadcast side wrote the same records)
            OperatorStateStore store = new OperatorStateStore();
            store.broadcastState(rules).putAll(content);
            old.add(store.snapshot());
        }
        for (int p : new int[] {1, 2, 3, 5}) {
            for (int j = 0; j < p; j++) {
                OperatorStateStore store = new OperatorStateStore();
                store.restore(OperatorStateRedistribution.redistribute(byIndex(old), old.size(), p).get(j), j);
                MapState<String, Integer> restored = store.broadcastState(rules);
                Map<String, Integer> read = new LinkedHashMap<>();
                restored.entries().forEach(e -> read.put(e.getKey(), e.getValue()));
                assertEquals(content, read, p + " subtasks, subtask " + j);
                assertEquals(new ArrayList<>(content.keySet()), keys(restored), "insertion order kept");
                assertTrue(store.snapshot().states().get("rules").mode() == OperatorStateSnapshot.Mode.BROADCAST);
            }
        }
    }

    private static SortedMap<Integer, OperatorStateSnapshot> byIndex(List<OperatorStateSnapshot> snapshots) {
        SortedMap<Integer, OperatorStateSnapshot> byIndex = new TreeMap<>();
        for (int i = 0; i < snapshots.size(); i++) {
            byIndex.put(i, snapshots.get(i));
        }
        return byIndex;
    }

    private static List<String> keys(MapState<String, Integer> state) {
        List<String> keys = new ArrayList<>();
        state.keys().forEach(keys::add);
        return keys;
    }
}
