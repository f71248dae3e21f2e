package io.sluice.cli;

import io.sluice.api.execution.JobResult;

/**
 * A job command that prints its own lines for a job that finished on a cluster (its main ran on the coordinator, so
 * what it printed went to the coordinator's log): the client calls it with the job's result instead of printing the
 * summary.
 */
interface ClusterResultPrinter {
    void printClusterResult(JobResult result);
}
