package io.sluice.runtime.operator;

/**
 * Side effects an operator may make visible only once the whole job has finished successfully: a transactional sink's
 * last transactions. Until then they stay pre-committed, so a failure anywhere before the job's end restores the latest
 * checkpoint and aborts them instead of committing output twice.
 */
@FunctionalInterface
public interface JobFinalizer {

    /** An action run once, after every task of the job ended successfully; if it throws, the job fails. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    void atJobSuccess(Action action) throws Exception;

    /** For a lone operator (tests, the harness): the end of its input is the end of the job, so act at once. */
    JobFinalizer IMMEDIATE = Action::run;
}
