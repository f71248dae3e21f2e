package io.sluice.testing;

import io.sluice.api.source.SourceSplit;

/**
 * A split of a verified source: the user's split (with its own read position) plus the offset the next record of the
 * split gets. Checkpoints store it, so offsets continue where the restored checkpoint's records ended.
 *
 * @param splitId    the qualified split id ({@code source/userSplitId} of the split as first created), the tags' split
 * @param nextOffset the offset of the split's next record
 * @param split      the user's split
 */
record TaggedSplit<S extends SourceSplit>(String splitId, long nextOffset, S split) implements SourceSplit {}
