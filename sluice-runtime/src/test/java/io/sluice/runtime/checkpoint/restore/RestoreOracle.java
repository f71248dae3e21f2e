package io.sluice.runtime.checkpoint.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.serialization.UserClassObjectInput;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot.Mode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks a restore assignment against the old subtasks' states by brute force, without the assigner's reasoning:
 * key groups are followed one by one through {@link KeyGroups#subtaskOf}, elements and splits are counted by their
 * (unique) contents. Every check names the operator and the new subtask it is about.
 */
final class RestoreOracle {
    private RestoreOracle() {}

    /**
     * A keyed operator: each new subtask receives exactly the old subtasks that own one of its key groups (and wrote
     * keyed state), in old subtask order, as the very snapshots they wrote; so every key group block reaches exactly
     * one new subtask that owns it.
     */
    static void checkKeyed(List<OperatorSubtaskState> old, OperatorRestore restore, int maxParallelism) {
        int oldParallelism = old.getFirst().parallelism();
        int newParallelism = restore.subtasks().size();
        List<TreeSet<Integer>> received = new ArrayList<>();
        for (int j = 0; j < newParallelism; j++) {
            TreeSet<Integer> expected = new TreeSet<>();
            for (int kg = 0; kg < maxParallelism; kg++) {
                int owner = KeyGroups.subtaskOf(kg, maxParallelism, oldParallelism);
                if (KeyGroups.subtaskOf(kg, maxParallelism, newParallelism) == j && old.get(owner).keyed() != null) {
                    expected.add(owner);
                }
            }
            List<RestoredKeyedState> keyed = restore.subtask(j).keyed();
            assertEquals(List.copyOf(expected), keyed.stream().map(RestoredKeyedState::subtask).toList(),
                    restore.uid() + ", new subtask " + j + ": the old subtasks owning its key groups, no other");
            for (RestoredKeyedState k : keyed) {
                assertSame(old.get(k.subtask()).keyed(), k.snapshot(), restore.uid() + ", new subtask " + j);
                assertEquals(oldParallelism, k.parallelism(), restore.uid() + ", new subtask " + j);
            }
            received.add(new TreeSet<>(keyed.stream().map(RestoredKeyedState::subtask).toList()));
        }
        for (OperatorSubtaskState s : old) {
            if (s.keyed() == null) {
                continue;
            }
            for (int kg : s.keyed().keyGroups().keySet()) {
                int owners = 0;
                for (int j = 0; j < newParallelism; j++) {
                    if (received.get(j).contains(s.subtask()) && KeyGroups.subtaskOf(kg, maxParallelism, newParallelism) == j) {
                        owners++;
                    }
                }
                assertEquals(1, owners, restore.uid() + ": key group " + kg + " of old subtask " + s.subtask());
            }
        }
    }

    /**
     * Operator state of every mode: split elements each in exactly one new subtask (each new subtask its own old
     * subtask's at an unchanged parallelism, else counts at most one apart), union elements all in every new subtask,
     * broadcast state exactly one old subtask's copy, whole, in each new subtask.
     */
    static void checkOperatorState(List<OperatorSubtaskState> old, OperatorRestore restore) {
        Map<String, Mode> modes = new HashMap<>();
        old.forEach(s -> s.operator().states().forEach((name, e) -> modes.put(name, e.mode())));
        int newParallelism = restore.subtasks().size();
        for (int j = 0; j < newParallelism; j++) {
            assertEquals(modes.keySet(), restore.subtask(j).operator().states().keySet(),
                    restore.uid() + ", new subtask " + j + ": an entry for every restored state");
        }
        modes.forEach((name, mode) -> {
            for (int j = 0; j < newParallelism; j++) {
                assertEquals(mode, restore.subtask(j).operator().states().get(name).mode(), restore.uid() + " " + name);
            }
            switch (mode) {
                case SPLIT -> checkSplit(old, restore, name);
                case UNION -> checkUnion(old, restore, name);
                case BROADCAST -> checkBroadcast(old, restore, name);
            }
        });
    }

    private static void checkSplit(List<OperatorSubtaskState> old, OperatorRestore restore, String name) {
        int newParallelism = restore.subtasks().size();
        List<String> all = sorted(allElements(old, name));
        List<String> dealt = new ArrayList<>();
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (int j = 0; j < newParallelism; j++) {
            List<String> mine = elements(restore.subtask(j).operator(), name);
            dealt.addAll(mine);
            fewest = Math.min(fewest, mine.size());
            most = Math.max(most, mine.size());
            if (restore.oldParallelism() == newParallelism) {
                int own = j;
                List<String> expected = old.stream().filter(s -> s.subtask() == own).findFirst()
                        .map(s -> elements(s.operator(), name)).orElse(List.of());
                assertEquals(expected, mine, restore.uid() + " " + name + ", new subtask " + j + ": its own elements back");
            }
        }
        assertEquals(all, sorted(dealt), restore.uid() + " " + name + ": every element in exactly one new subtask");
        if (restore.oldParallelism() != newParallelism) {
            assertTrue(most - fewest <= 1, restore.uid() + " " + name + ": dealt evenly, " + fewest + " to " + most);
        }
    }

    private static void checkUnion(List<OperatorSubtaskState> old, OperatorRestore restore, String name) {
        List<String> all = sorted(allElements(old, name));
        for (int j = 0; j < restore.subtasks().size(); j++) {
            assertEquals(all, sorted(elements(restore.subtask(j).operator(), name)),
                    restore.uid() + " " + name + ", new subtask " + j + ": every element once");
        }
    }

    private static void checkBroadcast(List<OperatorSubtaskState> old, OperatorRestore restore, String name) {
        for (int j = 0; j < restore.subtasks().size(); j++) {
            List<String> mine = elements(restore.subtask(j).operator(), name);
            long copies = old.stream().filter(s -> s.operator().states().containsKey(name))
                    .filter(s -> elements(s.operator(), name).equals(mine)).count();
            // Copies that differ (the random checkpoints tag each) are matched by one old subtask only: no mixture.
            assertTrue(copies >= 1, restore.uid() + " " + name + ", new subtask " + j + ": one old subtask's copy, whole " + mine);
        }
    }

    /** A source: every old split, with its position, in exactly one new subtask; counts at most one apart. */
    static void checkSplits(List<OperatorSubtaskState> old, OperatorRestore restore) throws Exception {
        List<String> all = new ArrayList<>();
        for (OperatorSubtaskState s : old) {
            for (Object split : (List<?>) UserClassObjectInput.read(s.splits(), RestoreOracle.class.getClassLoader())) {
                all.add(split.toString());
            }
        }
        List<String> dealt = new ArrayList<>();
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (SubtaskRestore s : restore.subtasks()) {
            s.splits().stream().map(SourceSplit::toString).forEach(dealt::add);
            fewest = Math.min(fewest, s.splits().size());
            most = Math.max(most, s.splits().size());
        }
        assertEquals(sorted(all), sorted(dealt), restore.uid() + ": every split in exactly one new subtask");
        assertTrue(most - fewest <= 1, restore.uid() + ": splits dealt evenly, " + fewest + " to " + most);
    }

    /** What an operator of the other kinds must not receive: keyed state, operator state, splits. */
    static void checkNothingElse(OperatorRestore restore, boolean keyed, boolean operatorState, boolean splits) {
        for (int j = 0; j < restore.subtasks().size(); j++) {
            SubtaskRestore s = restore.subtask(j);
            String where = restore.uid() + ", new subtask " + j;
            assertTrue(keyed || s.keyed().isEmpty(), where + ": no keyed state");
            assertTrue(operatorState || s.operator().states().isEmpty(), where + ": no operator state");
            assertTrue(splits || s.splits().isEmpty(), where + ": no splits");
        }
    }

    private static List<String> allElements(List<OperatorSubtaskState> old, String name) {
        List<String> all = new ArrayList<>();
        old.forEach(s -> all.addAll(elements(s.operator(), name)));
        return all;
    }

    private static List<String> elements(OperatorStateSnapshot snapshot, String name) {
        OperatorStateSnapshot.Entry e = snapshot.states().get(name);
        return e == null ? List.of() : e.elements().stream().map(OldSubtasks::text).toList();
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().toList();
    }
}
