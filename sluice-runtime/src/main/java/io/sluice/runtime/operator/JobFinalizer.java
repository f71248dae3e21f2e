package io.sluice.runtime.operator;

import io.sluice.runtime.state.operator.OperatorStateSnapshot;

/**
 * Side effects an operator may make visible only once the whole job has finished successfully: a transactional sink's
 * last transactions. When every task has ended, the runtime first writes a final checkpoint holding each operator's
 * {@linkplain #finalOperatorState final state} (the sink's pre-committed handles) and the finished sources, then runs
 * the actions. A failure before that checkpoint restores the previous one and aborts the transactions; a failure after
 * it (a commit that throws, a killed process) restores the final checkpoint, whose recovery commits them: never twice.
 */
public interface JobFinalizer {

    /** An action run once, after every task of the job ended successfully; if it throws, the job fails. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    void atJobSuccess(Action action) throws Exception;

    /** The operator's state as the final checkpoint should hold it (default: nothing to keep). */
    default void finalOperatorState(OperatorStateSnapshot state) {}

    /** For a lone operator (tests, the harness): the end of its input is the end of the job, so act at once. */
    JobFinalizer IMMEDIATE = Action::run;
}
