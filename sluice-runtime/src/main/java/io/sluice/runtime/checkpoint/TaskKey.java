package io.sluice.runtime.checkpoint;

/**
 * Identifies one task of a job run: its chain and subtask.
 *
 * @param chainId the chain's index in the plan
 * @param subtask 0-based
 */
public record TaskKey(int chainId, int subtask) {}
