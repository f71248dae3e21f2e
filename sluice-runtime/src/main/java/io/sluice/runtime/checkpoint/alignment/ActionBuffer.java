package io.sluice.runtime.checkpoint.alignment;

import java.util.Arrays;

/**
 * Collects the actions of one event, in order, and hands them out as one {@link AlignmentAction} chain. Kept by an
 * aligner and reused for every event: collecting needs no allocation (the arrays grow only past their initial size).
 */
final class ActionBuffer {
    private long[] ids;
    /** {@code null}: trigger. */
    private AbortReason[] reasons;
    private int size;

    ActionBuffer(int expected) {
        ids = new long[Math.max(2, expected)];
        reasons = new AbortReason[ids.length];
    }

    void trigger(long checkpointId) {
        add(checkpointId, null);
    }

    void abort(long checkpointId, AbortReason reason) {
        add(checkpointId, reason);
    }

    private void add(long checkpointId, AbortReason reason) {
        if (size > 0 && reasons[size - 1] == null) {
            throw new IllegalStateException("nothing may follow the trigger of checkpoint " + ids[size - 1]);
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            reasons = Arrays.copyOf(reasons, size * 2);
        }
        ids[size] = checkpointId;
        reasons[size] = reason;
        size++;
    }

    /** The collected actions as a chain ({@link AlignmentAction#NONE} if none); empties the buffer. */
    AlignmentAction take() {
        AlignmentAction chain = AlignmentAction.NONE;
        for (int i = size - 1; i >= 0; i--) {
            chain = reasons[i] == null
                    ? new AlignmentAction.TriggerCheckpoint(ids[i])
                    : new AlignmentAction.AbortCheckpoint(ids[i], reasons[i], chain);
            reasons[i] = null;
        }
        size = 0;
        return chain;
    }
}
