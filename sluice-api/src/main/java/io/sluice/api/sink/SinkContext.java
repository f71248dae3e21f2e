package io.sluice.api.sink;

import java.time.Duration;

/** Where a sink writer runs. */
public interface SinkContext {
    int subtaskIndex();

    int parallelism();

    String operatorName();

    /**
     * The longest a transaction this sink pre-committed at a checkpoint may have to wait for its commit, as the job's
     * settings bound it: the checkpoint interval plus the checkpoint timeout plus the restart strategy's longest wait
     * (a failure between pre-commit and commit restarts the job, which commits on restore). A sink whose external
     * system aborts open transactions after a timeout (Kafka's {@code transaction.timeout.ms}) checks its timeout
     * against this. Zero when the job takes no checkpoints, or where it is not known (tests, harnesses).
     */
    default Duration expectedRecoveryTime() {
        return Duration.ZERO;
    }
}
