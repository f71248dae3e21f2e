package io.sluice.testing;

import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import java.util.Objects;

/**
 * The state of one harnessed operator at one moment, as a checkpoint would hold it: keyed state and timers (one byte
 * block per key group), operator state, and the processing time it was taken at. Opaque: hand it to
 * {@link OperatorHarness#restore} or to a harness's {@code restoredFrom}, at the same or another parallelism.
 * Immutable; may be shared between threads.
 */
public final class HarnessSnapshot {
    private final Subtask subtask;
    private final long processingTime;
    private final KeyedStateSnapshot keyedState;
    private final OperatorStateSnapshot operatorState;

    HarnessSnapshot(Subtask subtask, long processingTime, KeyedStateSnapshot keyedState, OperatorStateSnapshot operatorState) {
        this.subtask = Objects.requireNonNull(subtask, "subtask");
        this.processingTime = processingTime;
        this.keyedState = keyedState;
        this.operatorState = Objects.requireNonNull(operatorState, "operatorState");
    }

    /** The subtask it was taken from. */
    public Subtask subtask() {
        return subtask;
    }

    /** The harness's processing time when it was taken; a harness restored from it starts its clock there. */
    public long processingTime() {
        return processingTime;
    }

    /** Whether it holds keyed state (it was taken from a keyed operator). */
    public boolean isKeyed() {
        return keyedState != null;
    }

    /** Keyed state and timers by key group, or {@code null} if not keyed. */
    KeyedStateSnapshot keyedState() {
        return keyedState;
    }

    OperatorStateSnapshot operatorState() {
        return operatorState;
    }

    @Override
    public String toString() {
        return "HarnessSnapshot[" + subtask + ", processing time " + processingTime
                + (keyedState != null ? ", " + keyedState.keyGroups().size() + " key groups, " + keyedState.sizeBytes() + " bytes" : "")
                + ", operator states " + operatorState.states().keySet() + "]";
    }
}
