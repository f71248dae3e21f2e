package io.sluice.cli.soak;

import java.util.Locale;

/**
 * Where an in-process fault strikes. Each is injected by a user-level object of the soak job (no runtime internals):
 * the injecting map, the keyed function, the source reader or the sink writer wrapper. A fault throws {@link
 * InjectedFault}, which fails the job; the job then restarts from its latest completed checkpoint.
 */
public enum FaultKind {
    /** The stateless map after the source throws at a record. */
    MAP_THROW("function", true),
    /** The keyed function throws after updating its value, map and list state and emitting for a record. */
    KEYED_THROW("function", true),
    /** A bucket's event-time timer throws after emitting the bucket and clearing its state. */
    TIMER_THROW("function", true),
    /** The source reader's {@code snapshotSplits()} throws: the checkpoint fails at a source. */
    SOURCE_SNAPSHOT("snapshot", true),
    /** The sink writer's {@code preCommit} throws before pre-committing: the checkpoint fails at the sink. */
    PRECOMMIT_BEFORE("snapshot", true),
    /** The sink writer's {@code preCommit} throws after pre-committing: a durable transaction whose handle is lost. */
    PRECOMMIT_AFTER("snapshot", true),
    /** The keyed function's {@code open} throws in an attempt that restored a checkpoint. */
    RESTORE_OPEN("restore", false),
    /** The sink writer's {@code recover} throws before committing the restored transactions. */
    RECOVER_BEFORE("restore", false),
    /** The sink writer's {@code recover} throws after committing the restored transactions (they are committed again). */
    RECOVER_AFTER("restore", false),
    /** The sink writer's {@code commit} throws before committing, at a checkpoint's completion notice. */
    COMMIT_BEFORE("commit", true),
    /** The sink writer's {@code commit} throws after committing, at a checkpoint's completion notice. */
    COMMIT_AFTER("commit", true);

    private final String stage;
    private final boolean armedByProgress;

    FaultKind(String stage, boolean armedByProgress) {
        this.stage = stage;
        this.armedByProgress = armedByProgress;
    }

    /** function, snapshot, restore or commit. */
    public String stage() {
        return stage;
    }

    /**
     * Whether the fault waits until the job has read up to its position; the others fire at the first chance (a
     * restore), wherever the input is.
     */
    public boolean armedByProgress() {
        return armedByProgress;
    }

    /** The name in plans and reports, e.g. {@code commit-after}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
