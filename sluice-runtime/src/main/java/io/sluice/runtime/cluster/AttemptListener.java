package io.sluice.runtime.cluster;

import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.TaskKey;
import java.util.List;

/**
 * What the tasks of an attempt tell the job's supervisor, wherever they run. Called from task threads (or, for
 * remote tasks, the thread that receives their worker's events); implementations are thread-safe.
 */
public interface AttemptListener {

    /** The attempt's first failure, before any task is cancelled (pending checkpoints are aborted then). */
    void failing(String reason);

    /**
     * A task ended without the attempt being cancelled: {@code states} holds one state per operator of it as it
     * ended, {@code lastCheckpointTaken} the last checkpoint it took part in.
     */
    void taskFinished(TaskKey task, long lastCheckpointTaken, List<OperatorSubtaskState> states);

    /** An operator of a finished task left its final state (a transactional sink's last pre-committed transactions). */
    void operatorFinished(OperatorSubtaskState state);
}
