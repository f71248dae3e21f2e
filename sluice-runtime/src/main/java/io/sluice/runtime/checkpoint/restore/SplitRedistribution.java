package io.sluice.runtime.checkpoint.restore;

import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.serialization.SplitLists;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deals a source's restored splits to its new subtasks: the splits (with their positions) every old subtask held at
 * the checkpoint, in old subtask order, dealt round-robin by split, at any parallelism (also an unchanged one: a
 * source reader does not care which splits it had).
 */
final class SplitRedistribution {
    private SplitRedistribution() {}

    /**
     * The splits of each new subtask, by new subtask index.
     *
     * @param old    the old subtasks' states; each one's splits are a Java-serialized {@code List} of splits (empty
     *               for a finished source), or absent for a state that is not a source's
     * @param loader the class loader of the source's classes, to read its splits
     * @throws IOException if the splits of an old subtask cannot be read
     */
    static List<List<SourceSplit>> deal(List<OperatorSubtaskState> old, int newParallelism, ClassLoader loader)
            throws IOException {
        List<SourceSplit> all = new ArrayList<>();
        for (OperatorSubtaskState state : old) {
            if (state.splits() != null) {
                all.addAll(read(state, loader));
            }
        }
        return RoundRobin.deal(all, newParallelism);
    }

    private static List<SourceSplit> read(OperatorSubtaskState state, ClassLoader loader) throws IOException {
        try {
            return SplitLists.read(state.splits(), loader);
        } catch (IOException e) {
            throw new IOException("the splits of old subtask " + (state.subtask() + 1) + "/" + state.parallelism()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }
}
