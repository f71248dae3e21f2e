package io.sluice.cluster.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one worker measured of its share of a spread attempt, at one moment (schema: {@code TaskMetrics} in
 * {@code cluster.proto}): the counters of every operator subtask it hosts and the watermark of every split its source
 * readers hold. Sent as the one blob of a {@link TaskMessage.Kind#METRICS} message, about once a second; each replaces
 * the worker's previous one on the coordinator. (The worker's own gauges travel on its heartbeats:
 * {@link WorkerGauges}.) Immutable.
 *
 * @param subtasks the operator subtasks hosted on the worker
 * @param splits   the splits of its source readers
 */
public record TaskMetrics(List<Subtask> subtasks, List<Split> splits) implements ProtoMessage {

    public TaskMetrics {
        subtasks = List.copyOf(subtasks);
        splits = List.copyOf(splits);
    }

    /**
     * One operator subtask's cumulative counters (as {@code io.sluice.runtime.monitor.SubtaskCounters}, with its node).
     * {@code stateBytes}: its state's size as of its latest checkpoint, -1 when not known.
     */
    public record Subtask(int nodeId, int subtask, long recordsIn, long recordsOut, long idleNanos,
            long backpressuredNanos, long elapsedNanos, long inputWatermark, long stateBytes) implements ProtoMessage {
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
    }

    public static TaskMetrics read(CodedInputStream in) throws IOException {
        List<Subtask> subtasks = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> subtasks.add(Subtask.read(CodedInputStream.newInstance(in.readByteArray())));
                case 2 -> splits.add(Split.read(CodedInputStream.newInstance(in.readByteArray())));
                default -> in.skipField(tag);
            }
        }
        return new TaskMetrics(subtasks, splits);
    }
}
