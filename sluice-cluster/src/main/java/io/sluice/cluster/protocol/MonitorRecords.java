package io.sluice.cluster.protocol;

import com.google.protobuf.CodedInputStream;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The monitor's own records as protobuf (schema: {@code CheckpointRecord} and {@code JobException} in
 * {@code cluster.proto}), for what a worker reports of a job attempt it runs whole: each written as one message of
 * its own, read back with defaults for absent fields and unknown fields skipped. Stateless.
 */
final class MonitorRecords {
    private MonitorRecords() {}

    static byte[] write(CheckpointRecord c) {
        return bytes(out -> {
            out.writeInt64(1, c.id());
            out.writeString(2, c.status());
            out.writeBool(3, c.savepoint());
            out.writeInt64(4, c.triggerEpochMillis());
            out.writeInt64(5, c.durationMillis());
            out.writeInt64(6, c.sizeBytes());
            out.writeInt64(7, c.alignmentMillis());
            for (Map.Entry<String, Long> ack : c.ackMillis().entrySet()) {
                out.writeByteArray(8, bytes(entry -> {
                    entry.writeString(1, ack.getKey());
                    entry.writeInt64(2, ack.getValue());
                }));
            }
            out.writeString(9, c.failure());
        });
    }

    static CheckpointRecord checkpoint(CodedInputStream in) throws IOException {
        long id = 0;
        String status = "";
        boolean savepoint = false;
        long[] times = new long[4]; // trigger, duration, size, alignment
        Map<String, Long> acks = new LinkedHashMap<>();
        String failure = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = tag >>> 3;
            switch (field) {
                case 1 -> id = in.readInt64();
                case 2 -> status = in.readString();
                case 3 -> savepoint = in.readBool();
                case 4, 5, 6, 7 -> times[field - 4] = in.readInt64();
                case 8 -> ack(CodedInputStream.newInstance(in.readByteArray()), acks);
                case 9 -> failure = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new CheckpointRecord(id, status, savepoint, times[0], times[1], times[2], times[3], acks, failure);
    }

    private static void ack(CodedInputStream in, Map<String, Long> acks) throws IOException {
        String task = "";
        long millis = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> task = in.readString();
                case 2 -> millis = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        acks.put(task, millis);
    }

    static byte[] write(JobView.JobException e) {
        return bytes(out -> {
            out.writeInt64(1, e.epochMillis());
            out.writeString(2, e.message());
            out.writeString(3, e.operator());
            out.writeInt32(4, e.subtask());
            out.writeString(5, e.worker());
        });
    }

    static JobView.JobException exception(CodedInputStream in) throws IOException {
        long epochMillis = 0;
        String message = "";
        String operator = "";
        int subtask = -1;
        String worker = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> epochMillis = in.readInt64();
                case 2 -> message = in.readString();
                case 3 -> operator = in.readString();
                case 4 -> subtask = in.readInt32();
                case 5 -> worker = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new JobView.JobException(epochMillis, message, operator, subtask, worker);
    }

    /** The bytes of the message {@code fields} writes. */
    private static byte[] bytes(ProtoMessage fields) {
        return fields.toBytes();
    }
}
