package io.sluice.runtime.cluster;

import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamEdge;
import io.sluice.api.graph.StreamNode;
import io.sluice.runtime.checkpoint.CheckpointStats;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a job's {@link JobView} shows, made from the runtime's own values: the graph's vertices and edges, checkpoint
 * statistics, and a bounded history of failures. Stateless helpers, and {@link Failures} (thread-safe).
 */
public final class JobViews {
    private static final Pattern OPERATOR = Pattern.compile("Operator '([^']*)' \\(subtask (\\d+)/\\d+\\)");
    private static final Pattern WORKER = Pattern.compile("\\[on ([^\\]]+)]");

    private JobViews() {}

    /** The vertices of {@code graph}, in graph order. */
    public static List<JobView.Vertex> vertices(JobGraph graph) {
        List<JobView.Vertex> result = new ArrayList<>();
        for (StreamNode n : graph.nodes()) {
            String kind = n.spec() instanceof OperatorSpec.SourceSpec ? "source"
                    : n.spec() instanceof OperatorSpec.SinkSpec ? "sink" : "operator";
            result.add(new JobView.Vertex(n.id(), n.name(), n.parallelism(), kind));
        }
        return result;
    }

    /** The edges of {@code graph}; partitioning in lower case (forward, hash, rebalance, shuffle, broadcast, auto). */
    public static List<JobView.Edge> edges(JobGraph graph) {
        List<JobView.Edge> result = new ArrayList<>();
        for (StreamEdge e : graph.edges()) {
            result.add(new JobView.Edge(e.sourceId(), e.targetId(),
                    e.partitioning().getClass().getSimpleName().toLowerCase(Locale.ROOT)));
        }
        return result;
    }

    /** The runtime's checkpoint statistics as monitoring shows them. */
    public static List<CheckpointRecord> checkpoints(List<CheckpointStats> stats) {
        List<CheckpointRecord> result = new ArrayList<>(stats.size());
        for (CheckpointStats s : stats) {
            boolean ok = s.completed();
            String failure = ok ? "" : s.status().startsWith("ABORTED: ") ? s.status().substring(9) : s.status();
            result.add(new CheckpointRecord(s.checkpointId(), ok ? "COMPLETED" : "FAILED", s.savepoint(),
                    s.triggerEpochMillis(), s.durationMillis(), s.sizeBytes(), s.alignmentMillis(), s.ackMillis(), failure));
        }
        return result;
    }

    /** A failure message as an exception entry, naming the operator, subtask and worker the message names. */
    public static JobView.JobException exception(long epochMillis, String message) {
        String text = message == null || message.isBlank() ? "(no message)" : message;
        Matcher op = OPERATOR.matcher(text);
        Matcher worker = WORKER.matcher(text);
        return new JobView.JobException(epochMillis, text, op.find() ? op.group(1) : "",
                op.find(0) ? Integer.parseInt(op.group(2)) - 1 : -1, worker.find() ? worker.group(1) : "");
    }

    /** The last {@value #MAX} failures of a job, oldest first. Thread-safe. */
    public static final class Failures {
        static final int MAX = 64;
        private final ArrayDeque<JobView.JobException> entries = new ArrayDeque<>();

        /** Records a failure now. */
        public synchronized void add(String message) {
            if (entries.size() == MAX) {
                entries.removeFirst();
            }
            entries.addLast(exception(System.currentTimeMillis(), message));
        }

        public synchronized List<JobView.JobException> list() {
            return List.copyOf(entries);
        }
    }
}
