package io.sluice.testing;

import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.runtime.operator.JobFinalizer;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.TransactionalSinkOperator;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.timer.ManualProcessingTime;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One run (execution attempt) of a job's transactional sink: {@code parallelism} subtasks, each the runtime's own
 * {@link TransactionalSinkOperator} over a writer of the sink, driven as tasks drive it: opened (restored from the
 * operator state of a checkpoint's old subtasks, which makes the writer {@code recover}), records, barriers
 * ({@code snapshotState}, then the operator state is captured), completion notices, the end of input and, once the
 * whole job succeeded, the finalizer's commits; or a crash (closed without an end). Single-threaded.
 */
final class TransactionalSinkRun<R, TX extends Serializable> {
    /** The job's finalizer: keeps the actions until {@link #jobSucceeded()}. */
    private final List<JobFinalizer.Action> atSuccess = new ArrayList<>();
    private final List<TransactionalSinkOperator<R, TX>> operators = new ArrayList<>();
    private final List<OperatorStateStore> states = new ArrayList<>();

    /**
     * Opens every subtask.
     *
     * @param restoredFrom the operator state of each old subtask in the checkpoint restored (in subtask order), or an
     *                     empty list for a fresh start
     */
    TransactionalSinkRun(TwoPhaseCommitSink<R, TX> sink, int parallelism, List<OperatorStateSnapshot> restoredFrom)
            throws Exception {
        java.util.SortedMap<Integer, OperatorStateSnapshot> byOldSubtask = new java.util.TreeMap<>();
        for (int old = 0; old < restoredFrom.size(); old++) {
            byOldSubtask.put(old, restoredFrom.get(old));
        }
        List<OperatorStateSnapshot> shares = restoredFrom.isEmpty() ? List.of()
                : io.sluice.runtime.checkpoint.restore.OperatorStateRedistribution.redistribute(byOldSubtask,
                        restoredFrom.size(), parallelism);
        for (int i = 0; i < parallelism; i++) {
            OperatorStateStore state = new OperatorStateStore();
            if (!restoredFrom.isEmpty()) {
                state.restore(shares.get(i), i);
            }
            TransactionalSinkOperator<R, TX> operator = new TransactionalSinkOperator<>(sink);
            operator.open(new OperatorSetup("sink", i, parallelism, 128, new CollectingOutput().output, null, state,
                    new ManualProcessingTime(0), atSuccess::add));
            operators.add(operator);
            states.add(state);
        }
    }

    int parallelism() {
        return operators.size();
    }

    void write(int subtask, R record) throws Exception {
        operators.get(subtask).processRecord(record, Long.MIN_VALUE);
    }

    /** Checkpoint {@code id}'s barrier passes every subtask; returns what the checkpoint holds of each. */
    List<OperatorStateSnapshot> checkpoint(long id) throws Exception {
        List<OperatorStateSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < operators.size(); i++) {
            operators.get(i).snapshotState(id);
            snapshots.add(states.get(i).snapshot());
        }
        return snapshots;
    }

    /** Every subtask is told that checkpoint {@code id} completed. */
    void complete(long id) throws Exception {
        for (TransactionalSinkOperator<R, TX> operator : operators) {
            operator.notifyCheckpointComplete(id);
        }
    }

    /** The input of every subtask ends; their last transactions wait for {@link #jobSucceeded()}. */
    void endInput() throws Exception {
        for (TransactionalSinkOperator<R, TX> operator : operators) {
            operator.endInput();
            operator.close();
        }
    }

    /** The whole job finished: the finalizer commits (and closes the writers). */
    void jobSucceeded() throws Exception {
        for (JobFinalizer.Action action : atSuccess) {
            action.run();
        }
        atSuccess.clear();
    }

    /** The run fails: every subtask is closed without an end of input. */
    void crash() throws Exception {
        for (TransactionalSinkOperator<R, TX> operator : operators) {
            operator.close();
        }
    }
}
