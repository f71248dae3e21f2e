package io.sluice.runtime.plan;

import io.sluice.api.graph.JobGraph;
import io.sluice.runtime.checkpoint.restore.EnumeratorRestore;
import io.sluice.runtime.checkpoint.restore.RestoreAssignment;
import java.util.List;
import java.util.Optional;

/**
 * How one attempt of a job runs: its chains and one {@link TaskSpec} per task. Computed once per attempt on the
 * coordinator side ({@link ExecutionPlanner}); the only input of deployment.
 *
 * @param graph   the job graph (user functions, edges)
 * @param layout  the chains and which edges are channels
 * @param attempt the attempt's number: 0 for the first run, counting restarts
 * @param tasks   every task of the attempt, chain by chain, subtasks in order
 * @param restore what the attempt restores (each task's share is in its spec; the source enumerators' state is
 *                here), or {@code null} for a start without state
 */
public record ExecutionPlan(JobGraph graph, ChainLayout layout, int attempt, List<TaskSpec> tasks,
        RestoreAssignment restore) {
    public ExecutionPlan {
        tasks = List.copyOf(tasks);
    }

    /** What source {@code uid}'s split enumerator restores, or empty if it starts fresh. */
    public Optional<EnumeratorRestore> enumeratorRestore(String uid) {
        return restore == null ? Optional.empty() : restore.enumerator(uid);
    }
}
