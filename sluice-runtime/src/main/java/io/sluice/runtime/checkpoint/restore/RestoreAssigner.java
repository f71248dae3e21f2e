package io.sluice.runtime.checkpoint.restore;

import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Decides, from a completed checkpoint and the new job, exactly what each new subtask of each operator restores
 * (rescale included): keyed state by overlapping key-group range ({@link KeyedStateAssignment}), operator state
 * redistributed by mode ({@link OperatorStateRedistribution}), a source's splits dealt by split
 * ({@link SplitRedistribution}). A pure function of its inputs: it opens no backend and builds no task, so it runs once
 * per run, wherever the run is planned, before anything is deployed.
 *
 * <p>It refuses checkpoints that would restore key groups empty without saying so: a keyed operator missing an old
 * subtask, or, in a checkpoint known to hold every operator, a keyed operator without state.
 */
public final class RestoreAssigner {
    private RestoreAssigner() {}

    /**
     * What each subtask of {@code job} restores from {@code checkpoint}. Operators the checkpoint holds no state of
     * are left out (they start without state); state of uids the job does not have is ignored (whether that is
     * allowed is checked before, by {@link RestoredState#checkAllMatched}).
     *
     * @param splitClassLoader by source uid, the class loader of the source's classes (to read its splits)
     * @throws IOException naming checkpoint, operator, uid and old subtasks, if the checkpoint cannot be restored into
     *                     {@code job}: a keyed operator's old subtask is missing, a keyed operator has no state in a
     *                     checkpoint that holds every operator, or an operator's state is inconsistent or unreadable
     */
    public static RestoreAssignment assign(RestoredState checkpoint, JobShape job,
            Function<String, ClassLoader> splitClassLoader) throws IOException {
        Map<String, OperatorRestore> operators = new HashMap<>();
        Map<String, EnumeratorRestore> enumerators = new HashMap<>();
        for (OperatorShape op : job.operators()) {
            List<OperatorSubtaskState> states = checkpoint.of(op.uid());
            if (states.isEmpty()) {
                if (op.keyed() && checkpoint.holdsEveryOperator()) {
                    // Not a new operator (this execution took the checkpoint): its key groups would restore empty.
                    throw new IOException("checkpoint " + checkpoint.checkpointId() + " holds no state of keyed operator '"
                            + op.name() + "' (uid " + op.uid() + "), which this job's checkpoints always hold: "
                            + "its key groups would restore empty");
                }
                continue;
            }
            operators.put(op.uid(), assign(checkpoint.checkpointId(), op, states, job.maxParallelism(), splitClassLoader));
        }
        for (OperatorShape op : job.operators()) {
            if (op.source()) {
                enumerator(checkpoint, op, splitClassLoader).ifPresent(e -> enumerators.put(op.uid(), e));
            }
        }
        return new RestoreAssignment(checkpoint.checkpointId(), operators, enumerators, checkpoint.location());
    }

    private static OperatorRestore assign(long checkpointId, OperatorShape op, List<OperatorSubtaskState> states,
            int maxParallelism, Function<String, ClassLoader> splitClassLoader) throws IOException {
        int oldParallelism = oldParallelism(checkpointId, op, states);
        if (op.keyed()) {
            requireEverySubtask(checkpointId, op, states, oldParallelism);
        }
        List<List<RestoredKeyedState>> keyed;
        List<OperatorStateSnapshot> operatorState;
        List<List<SourceSplit>> splits;
        try {
            keyed = op.keyed() ? KeyedStateAssignment.assign(states, oldParallelism, op.parallelism(), maxParallelism)
                    : none(op.parallelism());
            operatorState = OperatorStateRedistribution.redistribute(bySubtask(states), oldParallelism, op.parallelism());
            splits = op.source() ? SplitRedistribution.deal(states, op.parallelism(), splitClassLoader.apply(op.uid()))
                    : none(op.parallelism());
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("checkpoint " + checkpointId + ": the state of operator '" + op.name() + "' (uid "
                    + op.uid() + ") cannot be restored: " + e.getMessage(), e);
        }
        List<SubtaskRestore> subtasks = new ArrayList<>(op.parallelism());
        for (int s = 0; s < op.parallelism(); s++) {
            subtasks.add(new SubtaskRestore(keyed.get(s), operatorState.get(s), splits.get(s)));
        }
        return new OperatorRestore(op.uid(), oldParallelism, subtasks);
    }

    /**
     * The parallelism all of an operator's states were written at. A checkpoint's states of one uid agree on it and
     * name each old subtask at most once; states that do not were not written by one run and cannot be dealt out.
     */
    private static int oldParallelism(long checkpointId, OperatorShape op, List<OperatorSubtaskState> states)
            throws IOException {
        int parallelism = states.getFirst().parallelism();
        BitSet seen = new BitSet(parallelism);
        for (OperatorSubtaskState s : states) {
            String inconsistency = s.parallelism() != parallelism
                    ? "states written at parallelism " + parallelism + " and at " + s.parallelism()
                    : s.subtask() < 0 || s.subtask() >= parallelism ? "a state of subtask index " + s.subtask()
                            + ", outside its parallelism " + parallelism
                    : seen.get(s.subtask()) ? "two states of subtask " + (s.subtask() + 1) + "/" + parallelism : null;
            if (inconsistency != null) {
                throw new IOException("checkpoint " + checkpointId + " holds " + inconsistency + " of operator '"
                        + op.name() + "' (uid " + op.uid() + "): they cannot come from one run");
            }
            seen.set(s.subtask());
        }
        return parallelism;
    }

    /**
     * A keyed operator's key groups are spread over all its old subtasks: a checkpoint missing one of them would
     * restore those key groups empty, silently. Fails the restore instead, naming what is missing.
     */
    private static void requireEverySubtask(long checkpointId, OperatorShape op, List<OperatorSubtaskState> states,
            int oldParallelism) throws IOException {
        BitSet missing = new BitSet(oldParallelism);
        missing.set(0, oldParallelism);
        states.forEach(s -> missing.clear(s.subtask()));
        if (!missing.isEmpty()) {
            throw new IOException("checkpoint " + checkpointId + " holds no state of subtask(s) " + missing
                    + " (of " + oldParallelism + ") of keyed operator '" + op.name() + "' (uid " + op.uid()
                    + "): their key groups would restore empty");
        }
    }

    private static SortedMap<Integer, OperatorStateSnapshot> bySubtask(List<OperatorSubtaskState> states) {
        SortedMap<Integer, OperatorStateSnapshot> bySubtask = new TreeMap<>();
        states.forEach(s -> bySubtask.put(s.subtask(), s.operator()));
        return bySubtask;
    }

    /** Nothing for each of {@code parallelism} subtasks. */
    private static <T> List<List<T>> none(int parallelism) {
        List<List<T>> none = new ArrayList<>(parallelism);
        for (int s = 0; s < parallelism; s++) {
            none.add(List.of());
        }
        return none;
    }

    /** What source {@code op}'s enumerator restores; errors name the checkpoint and the source. */
    private static java.util.Optional<EnumeratorRestore> enumerator(RestoredState checkpoint, OperatorShape op,
            Function<String, ClassLoader> splitClassLoader) throws IOException {
        try {
            return java.util.Optional.ofNullable(EnumeratorRestore.of(checkpoint, op.uid(), splitClassLoader.apply(op.uid())));
        } catch (IOException e) {
            throw new IOException("checkpoint " + checkpoint.checkpointId() + ": the split enumerator state of source '"
                    + op.name() + "' (uid " + op.uid() + ") cannot be read: " + e.getMessage(), e);
        }
    }
}
