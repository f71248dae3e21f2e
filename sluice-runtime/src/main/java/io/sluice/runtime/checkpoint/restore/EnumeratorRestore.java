package io.sluice.runtime.checkpoint.restore;

import io.sluice.api.source.SourceSplit;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.serialization.SplitLists;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a source's enumerator restores from a checkpoint: the splits it owned, and the ids of every split the
 * checkpoint knows (held by readers, finished), so it assigns none of them twice.
 *
 * @param owned    the splits the enumerator owned
 * @param held     ids of the splits readers held (restored into the readers themselves)
 * @param finished ids of the splits the source finished
 */
public record EnumeratorRestore(List<SourceSplit> owned, Set<String> held, Set<String> finished) {
    public EnumeratorRestore {
        owned = List.copyOf(owned);
        held = Set.copyOf(held);
        finished = Set.copyOf(finished);
    }

    /**
     * The enumerator state of source {@code uid} in {@code restored}, or {@code null} when the checkpoint holds no
     * state of that source at all (a new source: its enumerator starts fresh). A checkpoint with reader states but
     * without enumerator state (the final checkpoint of a finished job) restores an enumerator that owns nothing.
     */
    public static EnumeratorRestore of(RestoredState restored, String uid, ClassLoader loader) throws IOException {
        if (restored == null) {
            return null;
        }
        byte[] enumerator = restored.enumeratorState(uid);
        List<OperatorSubtaskState> readers = restored.of(uid);
        if (enumerator == null && readers.isEmpty()) {
            return null;
        }
        Set<String> held = new HashSet<>();
        Set<String> finished = new HashSet<>();
        for (OperatorSubtaskState reader : readers) {
            if (reader.splits() != null) {
                for (SourceSplit split : SplitLists.read(reader.splits(), loader)) {
                    held.add(split.splitId());
                }
            }
            finished.addAll(reader.finishedSplitIds());
        }
        List<SourceSplit> owned = enumerator == null ? List.of() : SplitLists.read(enumerator, loader);
        return new EnumeratorRestore(owned, held, finished);
    }

    /** Every split id the checkpoint knows. */
    public Set<String> known() {
        Set<String> all = new HashSet<>(held);
        all.addAll(finished);
        owned.forEach(s -> all.add(s.splitId()));
        return all;
    }
}
