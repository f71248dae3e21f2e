package io.sluice.testing;

import java.io.Serializable;

/**
 * Finds the {@link Tag} a record of a verified sink carries: for sinks whose records are the user's own type with the
 * tag inside ({@link ExactlyOnceVerifier#sink(io.sluice.api.sink.TwoPhaseCommitSink, TagOf)}). Part of the job graph,
 * hence serializable (lambdas of this interface are); called on the sink's task thread.
 */
@FunctionalInterface
public interface TagOf<R> extends Serializable {
    /** The tag of {@code record}; never absent: every record of a verified sink comes from a tagged source record. */
    Tag tagOf(R record);
}
