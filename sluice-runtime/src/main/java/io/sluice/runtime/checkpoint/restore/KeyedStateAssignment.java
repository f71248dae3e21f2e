package io.sluice.runtime.checkpoint.restore;

import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Which old subtasks' keyed state each new subtask of a keyed operator restores: those whose key-group range overlaps
 * its own, and no other. Key groups never move between subtasks other than with their range, so these are all the
 * snapshots that can hold a key group the new subtask owns.
 */
final class KeyedStateAssignment {
    private KeyedStateAssignment() {}

    /**
     * Per new subtask of {@code newParallelism}, the keyed state of the overlapping old subtasks among {@code old}, in
     * old subtask order.
     *
     * @param old            the states of the old subtasks, each written at {@code oldParallelism}; those without
     *                       keyed state (finished) are left out
     * @throws IllegalArgumentException if an old subtask's keyed state holds key groups outside its range: the
     *                                  number of key groups changed, and choosing by range would drop them
     */
    static List<List<RestoredKeyedState>> assign(List<OperatorSubtaskState> old, int oldParallelism, int newParallelism,
            int maxParallelism) {
        List<List<RestoredKeyedState>> assigned = new ArrayList<>(newParallelism);
        for (int s = 0; s < newParallelism; s++) {
            assigned.add(new ArrayList<>());
        }
        for (OperatorSubtaskState state : old) {
            if (state.keyed() == null) {
                continue;
            }
            KeyGroupRange range = KeyGroupRange.of(state.subtask(), oldParallelism, maxParallelism);
            requireWithin(state, range, maxParallelism);
            RestoredKeyedState restored = new RestoredKeyedState(state.subtask(), oldParallelism, state.keyed());
            for (int s = 0; s < newParallelism; s++) {
                if (overlap(range, KeyGroupRange.of(s, newParallelism, maxParallelism))) {
                    assigned.get(s).add(restored);
                }
            }
        }
        return assigned;
    }

    private static boolean overlap(KeyGroupRange a, KeyGroupRange b) {
        return Math.max(a.first(), b.first()) < Math.min(a.end(), b.end());
    }

    private static void requireWithin(OperatorSubtaskState state, KeyGroupRange range, int maxParallelism) {
        KeyedStateSnapshot keyed = state.keyed();
        List<Integer> groups = new ArrayList<>(keyed.keyGroups().keySet()); // sorted
        boolean blocksWithin = groups.isEmpty() || range.contains(groups.getFirst()) && range.contains(groups.getLast());
        boolean filesWithin = keyed.files() == null
                || keyed.files().range().first() >= range.first() && keyed.files().range().end() <= range.end();
        if (!blocksWithin || !filesWithin) {
            throw new IllegalArgumentException("the keyed state of old subtask " + (state.subtask() + 1) + "/"
                    + state.parallelism() + " holds key groups outside its range [" + range.first() + ", " + range.end()
                    + ") of " + maxParallelism + " key groups: the job's max parallelism must stay the one the checkpoint "
                    + "was taken with");
        }
    }
}
