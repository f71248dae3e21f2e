package io.sluice.runtime.checkpoint.restore;

import static io.sluice.runtime.checkpoint.restore.RestoreAssignerTest.CHECKPOINT;
import static io.sluice.runtime.checkpoint.restore.RestoreAssignerTest.assign;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.checkpoint.restore.OldSubtasks.TestSplit;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot.Mode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints where some old subtasks had finished: a finished source holds an empty split list, a finished operator
 * empty operator state, and a checkpoint may hold no state of some subtasks of a non-keyed operator at all. What the
 * others held is restored, once, and nothing is made up for the finished ones.
 */
class FinishedSubtasksRestoreTest {

    @Test
    void theSplitsOfTheUnfinishedSourceSubtasksAreDealtOverTheNewOnes() throws Exception {
        // 3 -> 5: old subtask 1 finished (no splits left); 0 holds a, b; 2 holds c.
        List<OperatorSubtaskState> old = List.of(
                source(0, new TestSplit("a", 10), new TestSplit("b", 20)),
                OperatorSubtaskState.finishedSource("numbers", 1, 3),
                source(2, new TestSplit("c", 30)));
        OperatorRestore restore = assign(RestoredState.of(CHECKPOINT, old), 128,
                new OperatorShape("numbers", "Numbers", 5, false, true)).operator("numbers").orElseThrow();
        List<List<Object>> splits = restore.subtasks().stream().map(s -> List.<Object>copyOf(s.splits())).toList();
        assertEquals(List.of(List.of(new TestSplit("a", 10)), List.of(new TestSplit("b", 20)),
                List.of(new TestSplit("c", 30)), List.of(), List.of()), splits, "dealt by split, positions kept");
    }

    @Test
    void aSourceWhoseSubtasksAllFinishedRestoresNoSplits() throws Exception {
        List<OperatorSubtaskState> old = List.of(OperatorSubtaskState.finishedSource("numbers", 0, 2),
                OperatorSubtaskState.finishedSource("numbers", 1, 2));
        OperatorRestore restore = assign(RestoredState.of(CHECKPOINT, old), 128,
                new OperatorShape("numbers", "Numbers", 3, false, true)).operator("numbers").orElseThrow();
        assertEquals(3, restore.subtasks().size());
        restore.subtasks().forEach(s -> assertEquals(List.of(), s.splits(), "restored, and nothing left to read"));
    }

    @Test
    void operatorStateOfTheSubtasksTheCheckpointHoldsIsRestoredOnce() throws Exception {
        // 5 -> 2: old subtask 0 finished with empty state, 3 is not in the checkpoint at all.
        List<OperatorSubtaskState> old = new ArrayList<>();
        old.add(OperatorSubtaskState.finishedOperator("buffer", 0, 5));
        for (int s : new int[] {1, 2, 4}) {
            old.add(new OperatorSubtaskState("buffer", s, 5, null, new OperatorStateSnapshot(Map.of(
                    "pending", entry(Mode.SPLIT, "p" + s + "a", "p" + s + "b"),
                    "handles", entry(Mode.UNION, "h" + s),
                    "rules", entry(Mode.BROADCAST, "r=1"))), null));
        }
        OperatorRestore restore = assign(RestoredState.of(CHECKPOINT, old), 128,
                new OperatorShape("buffer", "Buffer", 2, false, false)).operator("buffer").orElseThrow();
        assertEquals(List.of("p1a", "p2a", "p4a"), elements(restore, 0, "pending"));
        assertEquals(List.of("p1b", "p2b", "p4b"), elements(restore, 1, "pending"));
        for (int j = 0; j < 2; j++) {
            assertEquals(List.of("h1", "h2", "h4"), elements(restore, j, "handles"), "union, subtask " + j);
            // Not from old subtask 0, which finished without it.
            assertEquals(List.of("r=1"), elements(restore, j, "rules"), "broadcast, subtask " + j);
        }
        RestoreOracle.checkOperatorState(old, restore);
    }

    @Test
    void atAnUnchangedParallelismAMissingSubtaskLeavesItsSuccessorEmpty() throws Exception {
        List<OperatorSubtaskState> old = List.of(
                new OperatorSubtaskState("buffer", 0, 3, null, new OperatorStateSnapshot(Map.of(
                        "pending", entry(Mode.SPLIT, "a", "b"))), null),
                new OperatorSubtaskState("buffer", 2, 3, null, new OperatorStateSnapshot(Map.of(
                        "pending", entry(Mode.SPLIT, "c"))), null));
        OperatorRestore restore = assign(RestoredState.of(CHECKPOINT, old), 128,
                new OperatorShape("buffer", "Buffer", 3, false, false)).operator("buffer").orElseThrow();
        assertEquals(List.of("a", "b"), elements(restore, 0, "pending"));
        assertEquals(List.of(), elements(restore, 1, "pending"));
        assertEquals(List.of("c"), elements(restore, 2, "pending"));
        assertEquals(Mode.SPLIT, restore.subtask(1).operator().states().get("pending").mode(), "the mode is known");
    }

    private static OperatorSubtaskState source(int subtask, TestSplit... splits) {
        return new OperatorSubtaskState("numbers", subtask, 3, null, new OperatorStateSnapshot(Map.of()),
                OldSubtasks.serialize(new ArrayList<>(List.of(splits))));
    }

    private static OperatorStateSnapshot.Entry entry(Mode mode, String... elements) {
        List<byte[]> bytes = new ArrayList<>();
        for (String e : elements) {
            bytes.add(e.getBytes(StandardCharsets.UTF_8));
        }
        return new OperatorStateSnapshot.Entry(mode, bytes);
    }

    private static List<String> elements(OperatorRestore restore, int subtask, String name) {
        return restore.subtask(subtask).operator().states().get(name).elements().stream().map(OldSubtasks::text).toList();
    }
}
