package io.sluice.api.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Deals a fixed list of splits: split {@code i} belongs to reader {@code i % parallelism}, which gets all of its
 * splits when it registers, followed by "no more splits". The default enumerator of a {@link Source}.
 *
 * @param <S> the split type
 */
public final class StaticSplitEnumerator<S extends SourceSplit> implements SplitEnumerator<S> {
    private final SplitEnumeratorContext<S> context;
    /** Per reader: the splits it has not been given yet. */
    private final List<List<S>> owned = new ArrayList<>();

    public StaticSplitEnumerator(SplitEnumeratorContext<S> context, List<S> splits) {
        this.context = context;
        for (int r = 0; r < context.parallelism(); r++) {
            owned.add(new ArrayList<>());
        }
        for (int i = 0; i < splits.size(); i++) {
            owned.get(i % context.parallelism()).add(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtask) {
        List<S> mine = owned.get(subtask);
        if (!mine.isEmpty()) {
            context.assignSplits(subtask, List.copyOf(mine));
            mine.clear();
        }
        context.signalNoMoreSplits(subtask);
    }

    @Override
    public void addSplitsBack(List<S> splits, int subtask) {
        owned.get(subtask).addAll(splits);
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
        List<S> all = new ArrayList<>();
        owned.forEach(all::addAll);
        return all;
    }
}
