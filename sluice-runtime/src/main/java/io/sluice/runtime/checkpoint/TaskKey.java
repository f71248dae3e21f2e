package io.sluice.runtime.checkpoint;

/**
 * Identifies one task of one attempt (run) of a job: its chain, subtask and attempt. The attempt keeps a task of an
 * ended attempt from acknowledging or declining for the current one: its key is never equal to a current task's.
 *
 * @param chainId the chain's index in the plan
 * @param subtask 0-based
 * @param attempt the job run's number, 0 for the first run, counting restarts
 */
public record TaskKey(int chainId, int subtask, int attempt) {}
