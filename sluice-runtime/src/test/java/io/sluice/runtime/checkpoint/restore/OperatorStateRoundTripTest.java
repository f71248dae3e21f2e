package io.sluice.runtime.checkpoint.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.state.operator.OperatorStateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Operator state through two rescales, 3 -> 5 -> 2, with the stores of the middle run claiming nothing: what they pass
 * on to their snapshots must restore as it was. Union state, whole in every subtask, is passed on by subtask 0 only;
 * if every subtask passed it on, the second restore would hold it five times.
 */
class OperatorStateRoundTripTest {
    private static final ListStateDescriptor<String> PENDING = new ListStateDescriptor<>("pending", Types.STRING);
    private static final ListStateDescriptor<String> HANDLES = new ListStateDescriptor<>("handles", Types.STRING);
    private static final MapStateDescriptor<String, Integer> RULES = new MapStateDescriptor<>("rules", Types.STRING, Types.INT);

    @Test
    void unclaimedStatePassesThroughARescaleUnchanged() throws Exception {
        List<OperatorSubtaskState> first = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> handles = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            OperatorStateStore store = new OperatorStateStore();
            for (int i = 0; i <= s; i++) {
                store.listState(PENDING).add("p" + s + "." + i);
                pending.add("p" + s + "." + i);
            }
            store.unionListState(HANDLES).add("h" + s);
            handles.add("h" + s);
            store.broadcastState(RULES).put("limit", 10);
            first.add(new OperatorSubtaskState("op", s, 3, null, store.snapshot(), null));
        }
        List<OperatorSubtaskState> second = new ArrayList<>();
        for (OperatorStateStore store : restore(first, 5)) {
            second.add(new OperatorSubtaskState("op", second.size(), 5, null, store.snapshot(), null));
        }
        List<String> pendingRestored = new ArrayList<>();
        for (OperatorStateStore store : restore(second, 2)) {
            store.listState(PENDING).get().forEach(pendingRestored::add);
            List<String> union = new ArrayList<>();
            store.unionListState(HANDLES).get().forEach(union::add);
            assertEquals(handles, union.stream().sorted().toList(), "union state once, not once per middle subtask");
            Map<String, Integer> rules = new LinkedHashMap<>();
            store.broadcastState(RULES).entries().forEach(e -> rules.put(e.getKey(), e.getValue()));
            assertEquals(Map.of("limit", 10), rules);
        }
        assertEquals(pending, pendingRestored.stream().sorted().toList(), "every list element once");
    }

    /** The stores of {@code parallelism} new subtasks, each loaded with what the assigner gives it. */
    private static List<OperatorStateStore> restore(List<OperatorSubtaskState> old, int parallelism) throws Exception {
        RestoreAssignment assignment = RestoreAssigner.assign(RestoredState.of(1, old),
                new JobShape(128, List.of(new OperatorShape("op", "Op", parallelism, false, false))), uid -> null);
        List<OperatorStateStore> stores = new ArrayList<>();
        for (int j = 0; j < parallelism; j++) {
            OperatorStateStore store = new OperatorStateStore();
            store.restore(assignment.operator("op").orElseThrow().subtask(j).operator(), j);
            stores.add(store);
        }
        return stores;
    }
}
