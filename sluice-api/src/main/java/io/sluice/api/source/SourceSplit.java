package io.sluice.api.source;

import java.io.Serializable;

/**
 * A unit of source input (a file range, a sequence range, a partition) including its read position. Splits are
 * immutable values: a reader reports its progress by returning new split values from
 * {@link SourceReader#snapshotSplits()}, which checkpoints store.
 */
public interface SourceSplit extends Serializable {
    /** Stable id, unique within the source. */
    String splitId();
}
