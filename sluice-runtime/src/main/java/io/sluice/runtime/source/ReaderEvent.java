package io.sluice.runtime.source;

import io.sluice.api.source.SourceSplit;
import java.util.List;

/**
 * What a source coordinator tells one reader, in order: the splits assigned to it, that no more will come, and that
 * its registration was handled (everything the enumerator assigned at registration came before). Delivered to the
 * reader's task in the order sent, and in order with checkpoint triggers, which is what keeps a checkpoint's
 * enumerator and reader states disjoint.
 */
public sealed interface ReaderEvent {

    /** The reader owns {@code splits} from now on. */
    record SplitsAssigned(List<SourceSplit> splits) implements ReaderEvent {
        public SplitsAssigned {
            splits = List.copyOf(splits);
        }
    }

    /** The enumerator assigns this reader no more splits. */
    record NoMoreSplits() implements ReaderEvent {}

    /** The reader's registration was handled: it may start polling. */
    record Registered() implements ReaderEvent {}
}
