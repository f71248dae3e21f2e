package io.sluice.cluster.coordinator;

import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.List;

/**
 * Where a coordinator's job view ({@link ClusterJobView}) takes the job's graph, counters, split watermarks,
 * checkpoints and failures from, whichever way the job runs: a spread job's supervisor here ({@link #of}), what a
 * worker running the job whole reports ({@link ReportedJobView}), or what an ended spread job showed
 * ({@link EndedJobView}). The same contracts as {@link JobView}'s methods of these names. Implementations are
 * thread-safe.
 */
interface JobDetail {
    /** A job that shows none of these (yet). */
    JobDetail NONE = of(null);

    List<JobView.Vertex> vertices();

    List<JobView.Edge> edges();

    List<SubtaskCounters> subtasks(int vertexId);

    List<SplitWatermark> splits();

    List<CheckpointRecord> checkpoints();

    List<JobView.JobException> exceptions();

    /** What {@code view} shows, read from it at each call; {@code null}: nothing. */
    static JobDetail of(JobView view) {
        return new JobDetail() {
            @Override
            public List<JobView.Vertex> vertices() {
                return view == null ? List.of() : view.vertices();
            }

            @Override
            public List<JobView.Edge> edges() {
                return view == null ? List.of() : view.edges();
            }

            @Override
            public List<SubtaskCounters> subtasks(int vertexId) {
                return view == null ? List.of() : view.subtasks(vertexId);
            }

            @Override
            public List<SplitWatermark> splits() {
                return view == null ? List.of() : view.splits();
            }

            @Override
            public List<CheckpointRecord> checkpoints() {
                return view == null ? List.of() : view.checkpoints();
            }

            @Override
            public List<JobView.JobException> exceptions() {
                return view == null ? List.of() : view.exceptions();
            }
        };
    }
}
