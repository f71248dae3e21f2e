package io.sluice.api.graph;

import io.sluice.api.functions.KeySelector;
import java.io.Serializable;

/** How records of an edge are distributed over the parallel subtasks of its target. */
public sealed interface Partitioning extends Serializable {

    /** Subtask i sends to subtask i; needs equal parallelism. Chained when possible. */
    record Forward() implements Partitioning {}

    /** Round-robin over all target subtasks. */
    record Rebalance() implements Partitioning {}

    /** A seeded pseudo-random target per record. */
    record Shuffle() implements Partitioning {}

    /** Every record to every target subtask. */
    record Broadcast() implements Partitioning {}

    /** By key: key hash → key group → the subtask owning that key group. */
    record Hash(KeySelector<?, ?> keySelector) implements Partitioning {}

    /** Forward where the parallelism matches, rebalance where it does not (what the user did not specify). */
    record Auto() implements Partitioning {}
}
