package io.sluice.cluster.worker;

import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMetrics;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job attempt run whole on this worker ({@code --placement job}) shows, as the {@link TaskMessage.Kind#METRICS}
 * message the coordinator keeps for its REST API and metrics: read from the view of the attempt's embedded supervisor
 * (every operator subtask's counters, every split's watermark, the latest {@value #CHECKPOINTS} checkpoints, the
 * failures it recorded, how often it restarted the job after task failures). Reads what the task threads write per batch and the supervisor's bounded histories: never
 * waits for a task. The graph is not sent: the coordinator has it from the job's main. Stateless.
 */
final class WholeAttemptReport {
    /**
     * How many of the latest checkpoints each report carries: the coordinator merges them by id into its own history,
     * so it misses one only when more than this many end between two reports it receives.
     */
    static final int CHECKPOINTS = 32;

    private WholeAttemptReport() {}

    /** Attempt {@code attempt} of job {@code job} as {@code view} shows it now. */
    static TaskMessage of(String job, int attempt, JobView view) {
        List<TaskMetrics.Subtask> subtasks = new ArrayList<>();
        for (JobView.Vertex v : view.vertices()) {
            for (SubtaskCounters c : view.subtasks(v.id())) {
                subtasks.add(TaskMetrics.Subtask.of(v.id(), c));
            }
        }
        List<CheckpointRecord> checkpoints = view.checkpoints();
        return new TaskMetrics(subtasks, view.splits().stream().map(TaskMetrics.Split::of).toList(),
                checkpoints.subList(Math.max(0, checkpoints.size() - CHECKPOINTS), checkpoints.size()),
                view.exceptions(), view.restarts()).message(job, attempt);
    }
}
