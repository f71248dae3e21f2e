package io.sluice.runtime.checkpoint.restore;

import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot.Entry;
import io.sluice.runtime.state.operator.OperatorStateSnapshot.Mode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Redistributes the operator state of an operator's old subtasks over its new subtasks, per state by its
 * {@link Mode}: split list state dealt round-robin by element over the new subtasks when the parallelism changed, and
 * kept per subtask when it did not; union list state whole to every new subtask; broadcast state, one old subtask's
 * copy to each new subtask (the copies are equal). Every new subtask gets an entry for every state name found, possibly
 * without elements, so it knows each restored state's mode.
 *
 * <p>Union state is then held whole by every new subtask: a subtask that does not claim it passes it on to the next
 * checkpoint only if it is subtask 0 ({@code OperatorStateStore#snapshot}), or each restore would multiply it.
 */
public final class OperatorStateRedistribution {
    private OperatorStateRedistribution() {}

    /**
     * The operator state of each new subtask, by new subtask index.
     *
     * @param old            by old subtask index, the states the checkpoint holds; old subtasks that are missing
     *                       (finished tasks may have left none) contribute nothing
     * @param oldParallelism the parallelism the states were written at (not the number of states: it says whether the
     *                       operator was rescaled)
     * @param newParallelism the number of new subtasks
     * @throws IllegalArgumentException if old subtasks wrote one state name in different modes
     */
    public static List<OperatorStateSnapshot> redistribute(SortedMap<Integer, OperatorStateSnapshot> old,
            int oldParallelism, int newParallelism) {
        List<Map<String, Entry>> byNew = new ArrayList<>(newParallelism);
        for (int s = 0; s < newParallelism; s++) {
            byNew.add(new HashMap<>());
        }
        for (Map.Entry<String, Mode> state : modes(old).entrySet()) {
            String name = state.getKey();
            Mode mode = state.getValue();
            List<List<byte[]>> elements = switch (mode) {
                case SPLIT -> oldParallelism == newParallelism ? keptPerSubtask(old, name, newParallelism)
                        : RoundRobin.deal(allElements(old, name), newParallelism);
                case UNION -> Collections.nCopies(newParallelism, allElements(old, name));
                case BROADCAST -> oneCopyEach(old, name, newParallelism);
            };
            for (int s = 0; s < newParallelism; s++) {
                byNew.get(s).put(name, new Entry(mode, elements.get(s)));
            }
        }
        return byNew.stream().map(OperatorStateSnapshot::new).toList();
    }

    /** Every state name of {@code old} with its mode, which all old subtasks that wrote the name must agree on. */
    private static Map<String, Mode> modes(SortedMap<Integer, OperatorStateSnapshot> old) {
        Map<String, Mode> modes = new LinkedHashMap<>();
        Map<String, Integer> firstWriter = new HashMap<>();
        for (Map.Entry<Integer, OperatorStateSnapshot> subtask : old.entrySet()) {
            for (Map.Entry<String, Entry> e : subtask.getValue().states().entrySet()) {
                Mode was = modes.putIfAbsent(e.getKey(), e.getValue().mode());
                firstWriter.putIfAbsent(e.getKey(), subtask.getKey());
                if (was != null && was != e.getValue().mode()) {
                    throw new IllegalArgumentException("operator state '" + e.getKey() + "' was written as " + was
                            + " by old subtask " + (firstWriter.get(e.getKey()) + 1) + " and as " + e.getValue().mode()
                            + " by old subtask " + (subtask.getKey() + 1));
                }
            }
        }
        return modes;
    }

    /** The elements of state {@code name} of all old subtasks, in old subtask order: what is dealt or replicated. */
    private static List<byte[]> allElements(SortedMap<Integer, OperatorStateSnapshot> old, String name) {
        List<byte[]> all = new ArrayList<>();
        for (OperatorStateSnapshot s : old.values()) {
            Entry e = s.states().get(name);
            if (e != null) {
                all.addAll(e.elements());
            }
        }
        return all;
    }

    /** At an unchanged parallelism, new subtask {@code i} gets old subtask {@code i}'s elements back. */
    private static List<List<byte[]>> keptPerSubtask(SortedMap<Integer, OperatorStateSnapshot> old, String name, int parallelism) {
        List<List<byte[]>> kept = new ArrayList<>(parallelism);
        for (int s = 0; s < parallelism; s++) {
            OperatorStateSnapshot own = old.get(s);
            Entry e = own == null ? null : own.states().get(name);
            kept.add(e == null ? List.of() : e.elements());
        }
        return kept;
    }

    /**
     * New subtask {@code i} takes the copy of the {@code i % n}-th of the n old subtasks holding the state (any would
     * do: they are equal). Only holders count: a finished old subtask may have left empty operator state.
     */
    private static List<List<byte[]>> oneCopyEach(SortedMap<Integer, OperatorStateSnapshot> old, String name, int parallelism) {
        List<List<byte[]>> holders = new ArrayList<>();
        for (OperatorStateSnapshot s : old.values()) {
            Entry e = s.states().get(name);
            if (e != null) {
                holders.add(e.elements());
            }
        }
        List<List<byte[]>> copies = new ArrayList<>(parallelism);
        for (int s = 0; s < parallelism; s++) {
            copies.add(holders.get(s % holders.size()));
        }
        return copies;
    }
}
