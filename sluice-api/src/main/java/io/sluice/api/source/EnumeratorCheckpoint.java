package io.sluice.api.source;

import java.util.List;
import java.util.Set;

/**
 * What a restored {@link SplitEnumerator} starts from.
 *
 * @param unassigned  the splits the enumerator owned when the checkpoint was taken
 * @param knownSplits the ids of every split the checkpoint knows: owned by the enumerator, held by a reader, or
 *                    finished; an enumerator that discovers splits (new files, new partitions) skips these
 * @param <S> the split type
 */
public record EnumeratorCheckpoint<S extends SourceSplit>(List<S> unassigned, Set<String> knownSplits) {
    public EnumeratorCheckpoint {
        unassigned = List.copyOf(unassigned);
        knownSplits = Set.copyOf(knownSplits);
    }
}
