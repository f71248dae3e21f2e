package io.sluice.runtime.checkpoint.restore;

import static io.sluice.runtime.checkpoint.restore.RestoreAssignerTest.CHECKPOINT;
import static io.sluice.runtime.checkpoint.restore.RestoreAssignerTest.assign;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot.Mode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Checkpoints {@link RestoreAssigner} refuses rather than restore state empty or wrong, each failure naming the
 * checkpoint, the operator by name and uid, and what is missing or wrong.
 */
class RestoreAssignerFailuresTest {
    private static final OperatorShape SUM = new OperatorShape("sum-uid", "Sum", 3, true, false);
    private static final OperatorShape BUFFER = new OperatorShape("buffer-uid", "Buffer", 2, false, false);

    private static IOException fails(Executable restore, String... parts) {
        IOException e = assertThrows(IOException.class, restore);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("null"), e.getMessage());
        return e;
    }

    private static List<OperatorSubtaskState> keyed(int parallelism) {
        return OldSubtasks.keyed(SUM.uid(), parallelism, 128, new Random(1), false);
    }

    @Test
    void aKeyedOperatorMissingOldSubtasksFails() {
        List<OperatorSubtaskState> old = new ArrayList<>(keyed(4));
        old.remove(3);
        old.remove(1);
        fails(() -> assign(RestoredState.of(CHECKPOINT, old), 128, SUM), "checkpoint " + CHECKPOINT,
                "holds no state of subtask(s) {1, 3} (of 4) of keyed operator 'Sum' (uid sum-uid)",
                "their key groups would restore empty");
    }

    @Test
    void aKeyedOperatorWithoutStateFailsOnlyInACheckpointHoldingEveryOperator() throws Exception {
        List<OperatorSubtaskState> others = OldSubtasks.operatorState("other", 2, List.of(Mode.SPLIT), new Random(1), false);
        fails(() -> assign(RestoredState.of(CHECKPOINT, others).holdingEveryOperator(), 128, SUM, BUFFER),
                "checkpoint " + CHECKPOINT + " holds no state of keyed operator 'Sum' (uid sum-uid)",
                "its key groups would restore empty");
        // A user's starting point may lack operators added since: they start without state, as does a non-keyed one.
        RestoreAssignment assignment = assign(RestoredState.of(CHECKPOINT, others), 128, SUM, BUFFER);
        assertTrue(assignment.operators().isEmpty(), assignment.operators().toString());
        assertTrue(assign(RestoredState.of(CHECKPOINT, others).holdingEveryOperator(), 128, BUFFER).operators().isEmpty());
    }

    @Test
    void keyGroupsOutsideTheirRangeFail() {
        // Written with 64 key groups: old subtask 1 of 2 owned [32, 64), which with 128 key groups is [64, 128).
        List<OperatorSubtaskState> old = List.of(
                new OperatorSubtaskState(SUM.uid(), 0, 2, new KeyedStateSnapshot(Map.of(3, new byte[1])), empty(), null),
                new OperatorSubtaskState(SUM.uid(), 1, 2, new KeyedStateSnapshot(Map.of(40, new byte[1])), empty(), null));
        fails(() -> assign(RestoredState.of(CHECKPOINT, old), 128, SUM), "checkpoint " + CHECKPOINT, "'Sum' (uid sum-uid)",
                "old subtask 2/2", "outside its range [64, 128) of 128 key groups", "max parallelism");
    }

    @Test
    void oneStateNameInTwoModesFails() {
        List<OperatorSubtaskState> old = List.of(
                new OperatorSubtaskState(BUFFER.uid(), 0, 2, null, operatorState("pending", Mode.SPLIT), null),
                new OperatorSubtaskState(BUFFER.uid(), 1, 2, null, operatorState("pending", Mode.UNION), null));
        fails(() -> assign(RestoredState.of(CHECKPOINT, old), 128, BUFFER), "checkpoint " + CHECKPOINT,
                "'Buffer' (uid buffer-uid)", "'pending' was written as SPLIT by old subtask 1 and as UNION by old subtask 2");
    }

    @Test
    void statesOfDifferentParallelismsFail() {
        List<OperatorSubtaskState> old = List.of(
                new OperatorSubtaskState(BUFFER.uid(), 0, 2, null, empty(), null),
                new OperatorSubtaskState(BUFFER.uid(), 1, 3, null, empty(), null));
        fails(() -> assign(RestoredState.of(CHECKPOINT, old), 128, BUFFER), "checkpoint " + CHECKPOINT,
                "states written at parallelism 2 and at 3 of operator 'Buffer' (uid buffer-uid)");
    }

    @Test
    void unreadableSplitsFail() {
        OperatorShape source = new OperatorShape("numbers-uid", "Numbers", 2, false, true);
        List<OperatorSubtaskState> old = List.of(
                new OperatorSubtaskState(source.uid(), 0, 1, null, empty(), OldSubtasks.serialize("not splits")));
        fails(() -> assign(RestoredState.of(CHECKPOINT, old), 128, source), "checkpoint " + CHECKPOINT,
                "'Numbers' (uid numbers-uid)", "the splits of old subtask 1/1 cannot be read: expected a list of splits, found java.lang.String");
    }

    private static OperatorStateSnapshot empty() {
        return new OperatorStateSnapshot(Map.of());
    }

    private static OperatorStateSnapshot operatorState(String name, Mode mode) {
        return new OperatorStateSnapshot(Map.of(name, new OperatorStateSnapshot.Entry(mode, List.of(new byte[] {1}))));
    }
}
