package io.sluice.testing;

import java.io.Serializable;

/**
 * The handle of a pre-committed transaction of a verified sink: the wrapped sink's own handle plus the identity under
 * which the verifier's ledger knows the transaction's records. The runtime stores it in checkpoints and gives it back
 * to commit and recover like any handle. Immutable.
 *
 * @param id           unique over every transaction the ledger ever saw (across runs and processes)
 * @param checkpointId the checkpoint that pre-committed it ({@code Long.MAX_VALUE}: the end of input; {@code -1}:
 *                     {@code finish()}, which commits without a checkpoint)
 * @param subtask      the sink subtask that wrote it
 * @param transaction  the wrapped sink's handle, or {@code null} where it returned none (nothing of its own to commit)
 */
public record VerifiedTransaction(String id, long checkpointId, int subtask, Serializable transaction)
        implements Serializable {

    /** The checkpoint id of a transaction that {@code finish()} committed directly. */
    public static final long FINISHED = -1;

    public VerifiedTransaction {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a verified transaction needs an id (checkpoint " + checkpointId + ")");
        }
    }
}
