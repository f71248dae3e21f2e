package io.sluice.runtime.task;

import io.sluice.api.source.SourceSplit;
import java.util.List;

/**
 * A source reader's part of a checkpoint.
 *
 * @param splits           the splits it holds, with their positions
 * @param finishedSplitIds the ids of the splits it finished (also those it restored as finished): never read again
 */
public record ReaderSnapshot(List<? extends SourceSplit> splits, List<String> finishedSplitIds) {
    public ReaderSnapshot {
        splits = List.copyOf(splits);
        finishedSplitIds = List.copyOf(finishedSplitIds);
    }
}
