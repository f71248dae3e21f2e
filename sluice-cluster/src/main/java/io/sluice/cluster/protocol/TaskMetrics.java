package io.sluice.cluster.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.SplitWatermark;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What one worker measured of the attempt it runs, at one moment (schema: {@code TaskMetrics} in
 * {@code cluster.proto}): the counters of every operator subtask it hosts and the watermark of every split its source
 * readers hold; for an attempt it runs whole ({@code --placement job}) also the latest checkpoints, the failures and
 * the restarts of its embedded supervisor (a spread attempt's are the coordinator's own). Sent as the one blob of a
 * {@link TaskMessage.Kind#METRICS} message ({@link #message}), about once a second; each replaces the worker's
 * previous one on the coordinator. (The worker's own gauges travel on its heartbeats: {@link WorkerGauges}.)
 * Immutable.
 *
 * @param subtasks    the operator subtasks hosted on the worker
 * @param splits      the splits of its source readers
 * @param checkpoints the latest checkpoints of a whole attempt, oldest first (empty for a spread share)
 * @param exceptions  the failures a whole attempt's supervisor recorded, oldest first (empty for a spread share)
 * @param restarts    how often a whole attempt's supervisor restarted it after task failures so far (0 for a spread
 *                    share); never negative
 */
public record TaskMetrics(List<Subtask> subtasks, List<Split> splits, List<CheckpointRecord> checkpoints,
        List<JobView.JobException> exceptions, int restarts) implements ProtoMessage {

    public TaskMetrics {
        subtasks = List.copyOf(subtasks);
        splits = List.copyOf(splits);
        checkpoints = List.copyOf(checkpoints);
        exceptions = List.copyOf(exceptions);
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts must not be negative, was " + restarts);
        }
    }

    /** A spread share's measurement: counters and split watermarks only. */
    public TaskMetrics(List<Subtask> subtasks, List<Split> splits) {
        this(subtasks, splits, List.of(), List.of(), 0);
    }

    /** This measurement as the {@link TaskMessage.Kind#METRICS} message of attempt {@code attempt} of {@code job}. */
    public TaskMessage message(String job, int attempt) {
        return new TaskMessage(TaskMessage.Kind.METRICS, job, attempt, -1, -1, 0, "", 0, List.of(), List.of(toBytes()));
    }

    /** The measurement a {@link TaskMessage.Kind#METRICS} message carries; malformed or missing: an exception. */
    public static TaskMetrics of(TaskMessage metrics) throws IOException {
        if (metrics.blobs().isEmpty()) {
            throw new IOException("a " + metrics.kind() + " message without its measurement");
        }
        return read(CodedInputStream.newInstance(metrics.blobs().getFirst()));
    }

    /** The counters of node {@code nodeId}'s subtasks in {@code measured} (one per worker, say), by subtask. */
    public static List<SubtaskCounters> subtasks(Collection<TaskMetrics> measured, int nodeId) {
        List<SubtaskCounters> result = new ArrayList<>();
        for (TaskMetrics t : measured) {
            for (Subtask s : t.subtasks()) {
                if (s.nodeId() == nodeId) {
                    result.add(s.toView());
                }
            }
        }
        result.sort(Comparator.comparingInt(SubtaskCounters::subtask));
        return result;
    }

    /** The split watermarks in {@code measured}, by vertex, subtask and split. */
    public static List<SplitWatermark> splits(Collection<TaskMetrics> measured) {
        List<SplitWatermark> result = new ArrayList<>();
        for (TaskMetrics t : measured) {
            for (Split s : t.splits()) {
                result.add(s.toView());
            }
        }
        result.sort(Comparator.comparingInt(SplitWatermark::vertexId).thenComparingInt(SplitWatermark::subtask)
                .thenComparing(SplitWatermark::split));
        return result;
    }

    /**
     * One operator subtask's cumulative counters (as {@code io.sluice.runtime.monitor.SubtaskCounters}, with its node).
     * {@code stateBytes}: its state's size as of its latest checkpoint, -1 when not known.
     */
    public record Subtask(int nodeId, int subtask, long recordsIn, long recordsOut, long idleNanos,
            long backpressuredNanos, long elapsedNanos, long inputWatermark, long stateBytes) implements ProtoMessage {

        /** Node {@code nodeId}'s subtask as its counters show it. */
        public static Subtask of(int nodeId, SubtaskCounters c) {
            return new Subtask(nodeId, c.subtask(), c.recordsIn(), c.recordsOut(), c.idleNanos(), c.backpressuredNanos(),
                    c.elapsedNanos(), c.inputWatermark(), c.stateSizeBytes());
        }

        /** These counters as the monitor shows them. */
        public SubtaskCounters toView() {
            return new SubtaskCounters(subtask, recordsIn, recordsOut, idleNanos, backpressuredNanos, elapsedNanos,
                    inputWatermark, stateBytes);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            LongFields.write(out, nodeId, subtask, recordsIn, recordsOut, idleNanos, backpressuredNanos, elapsedNanos,
                    inputWatermark, stateBytes);
        }

        static Subtask read(CodedInputStream in) throws IOException {
            long[] v = LongFields.read(in, 0, 0, 0, 0, 0, 0, 0, Long.MIN_VALUE, -1);
            return new Subtask((int) v[0], (int) v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
        }
    }

    /** One split of source {@code nodeId}'s reader {@code subtask}: its watermark and whether it is idle. */
    public record Split(int nodeId, int subtask, String split, long watermark, boolean idle) implements ProtoMessage {

        /** A split as the monitor shows it. */
        public static Split of(SplitWatermark s) {
            return new Split(s.vertexId(), s.subtask(), s.split(), s.watermark(), s.idle());
        }

        /** This split as the monitor shows it. */
        public SplitWatermark toView() {
            return new SplitWatermark(nodeId, subtask, split, watermark, idle);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeInt32(1, nodeId);
            out.writeInt32(2, subtask);
            out.writeString(3, split);
            out.writeInt64(4, watermark);
            out.writeBool(5, idle);
        }

        static Split read(CodedInputStream in) throws IOException {
            int node = 0;
            int subtask = 0;
            String split = "";
            long watermark = Long.MIN_VALUE;
            boolean idle = false;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> node = in.readInt32();
                    case 2 -> subtask = in.readInt32();
                    case 3 -> split = in.readString();
                    case 4 -> watermark = in.readInt64();
                    case 5 -> idle = in.readBool();
                    default -> in.skipField(tag);
                }
            }
            return new Split(node, subtask, split, watermark, idle);
        }
    }

    @Override
    public void writeTo(CodedOutputStream out) throws IOException {
        for (Subtask s : subtasks) {
            out.writeByteArray(1, s.toBytes());
        }
        for (Split s : splits) {
            out.writeByteArray(2, s.toBytes());
        }
        for (CheckpointRecord c : checkpoints) {
            out.writeByteArray(4, MonitorRecords.write(c));
        }
        for (JobView.JobException e : exceptions) {
            out.writeByteArray(5, MonitorRecords.write(e));
        }
        if (restarts != 0) {
            out.writeInt32(6, restarts);
        }
    }

    public static TaskMetrics read(CodedInputStream in) throws IOException {
        List<Subtask> subtasks = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        List<CheckpointRecord> checkpoints = new ArrayList<>();
        List<JobView.JobException> exceptions = new ArrayList<>();
        int restarts = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> subtasks.add(Subtask.read(CodedInputStream.newInstance(in.readByteArray())));
                case 2 -> splits.add(Split.read(CodedInputStream.newInstance(in.readByteArray())));
                case 4 -> checkpoints.add(MonitorRecords.checkpoint(CodedInputStream.newInstance(in.readByteArray())));
                case 5 -> exceptions.add(MonitorRecords.exception(CodedInputStream.newInstance(in.readByteArray())));
                case 6 -> restarts = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        if (restarts < 0) {
            throw new IOException("a measurement with " + restarts + " restarts (never negative)");
        }
        return new TaskMetrics(subtasks, splits, checkpoints, exceptions, restarts);
    }
}
