package io.sluice.cluster.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The coordinator's control messages with its workers and clients (schema: {@code cluster.proto}). */
public final class ControlMessages {
    private ControlMessages() {}

    /**
     * A worker asks to join: where its data server listens, how many slots it offers, its process id, and the random id
     * its process drew at start ({@code instanceId}): the coordinator refuses a second registration of an instance
     * while the first is live. {@code ""} from a worker older than instance ids, which cannot be fenced so.
     */
    public record RegisterRequest(String host, int dataPort, int slots, long pid, String instanceId)
            implements ProtoMessage {
        public RegisterRequest {
            java.util.Objects.requireNonNull(instanceId, "instanceId");
        }

        /** The registration of a new worker instance: one that draws a random instance id now. */
        public static RegisterRequest newInstance(String host, int dataPort, int slots, long pid) {
            return new RegisterRequest(host, dataPort, slots, pid, java.util.UUID.randomUUID().toString());
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, host);
            out.writeInt32(2, dataPort);
            out.writeInt32(3, slots);
            out.writeInt64(4, pid);
            if (!instanceId.isEmpty()) {
                out.writeString(5, instanceId);
            }
        }

        public static RegisterRequest read(CodedInputStream in) throws IOException {
            String host = "";
            int dataPort = 0;
            int slots = 0;
            long pid = 0;
            String instanceId = "";
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> host = in.readString();
                    case 2 -> dataPort = in.readInt32();
                    case 3 -> slots = in.readInt32();
                    case 4 -> pid = in.readInt64();
                    case 5 -> instanceId = in.readString();
                    default -> in.skipField(tag);
                }
            }
            return new RegisterRequest(host, dataPort, slots, pid, instanceId);
        }
    }

    /** The worker's id in this cluster and how often it must say it is alive. */
    public record RegisterReply(String workerId, long heartbeatIntervalMillis, long heartbeatTimeoutMillis)
            implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, workerId);
            out.writeInt64(2, heartbeatIntervalMillis);
            out.writeInt64(3, heartbeatTimeoutMillis);
        }

        public static RegisterReply read(CodedInputStream in) throws IOException {
            String id = "";
            long interval = 0;
            long timeout = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> id = in.readString();
                    case 2 -> interval = in.readInt64();
                    case 3 -> timeout = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
            return new RegisterReply(id, interval, timeout);
        }
    }

    /**
     * A worker is alive, and its own gauges now ({@link WorkerGauges#NONE} when it measured none): every registered
     * worker sends one each heartbeat interval, so the coordinator knows the gauges of idle workers too.
     */
    public record Heartbeat(String workerId, WorkerGauges gauges) implements ProtoMessage {
        public Heartbeat {
            java.util.Objects.requireNonNull(gauges, "gauges");
        }

        /** A heartbeat without gauges. */
        public Heartbeat(String workerId) {
            this(workerId, WorkerGauges.NONE);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, workerId);
            out.writeByteArray(2, gauges.toBytes());
        }

        public static Heartbeat read(CodedInputStream in) throws IOException {
            String id = "";
            WorkerGauges gauges = WorkerGauges.NONE;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> id = in.readString();
                    case 2 -> gauges = WorkerGauges.read(CodedInputStream.newInstance(in.readByteArray()));
                    default -> in.skipField(tag);
                }
            }
            return new Heartbeat(id, gauges);
        }
    }

    /**
     * The coordinator's answer to a heartbeat: {@code known} is false for a worker it declared dead (or never knew),
     * which must then register again, as a new worker.
     */
    public record HeartbeatReply(boolean known) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeBool(1, known);
        }

        public static HeartbeatReply read(CodedInputStream in) throws IOException {
            boolean known = false;
            for (int tag; (tag = in.readTag()) != 0; ) {
                if (tag >>> 3 == 1) {
                    known = in.readBool();
                } else {
                    in.skipField(tag);
                }
            }
            return new HeartbeatReply(known);
        }
    }

    /** Asks the coordinator what it runs. */
    public record StatusRequest() implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) {}

        public static StatusRequest read(CodedInputStream in) throws IOException {
            for (int tag; (tag = in.readTag()) != 0; ) {
                in.skipField(tag);
            }
            return new StatusRequest();
        }
    }

    /** One live worker, as the coordinator sees it. */
    public record WorkerStatus(String workerId, String host, int dataPort, int slots, long pid,
            long millisSinceHeartbeat, int usedSlots) implements ProtoMessage {
        public WorkerStatus(String workerId, String host, int dataPort, int slots, long pid, long millisSinceHeartbeat) {
            this(workerId, host, dataPort, slots, pid, millisSinceHeartbeat, 0);
        }

        /** This worker with {@code used} of its slots taken by jobs. */
        public WorkerStatus withUsedSlots(int used) {
            return new WorkerStatus(workerId, host, dataPort, slots, pid, millisSinceHeartbeat, used);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, workerId);
            out.writeString(2, host);
            out.writeInt32(3, dataPort);
            out.writeInt32(4, slots);
            out.writeInt64(5, pid);
            out.writeInt64(6, millisSinceHeartbeat);
            out.writeInt32(7, usedSlots);
        }

        public static WorkerStatus read(CodedInputStream in) throws IOException {
            String id = "";
            String host = "";
            int dataPort = 0;
            int slots = 0;
            long pid = 0;
            long since = 0;
            int used = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> id = in.readString();
                    case 2 -> host = in.readString();
                    case 3 -> dataPort = in.readInt32();
                    case 4 -> slots = in.readInt32();
                    case 5 -> pid = in.readInt64();
                    case 6 -> since = in.readInt64();
                    case 7 -> used = in.readInt32();
                    default -> in.skipField(tag);
                }
            }
            return new WorkerStatus(id, host, dataPort, slots, pid, since, used);
        }
    }

    /**
     * The live workers (jobs come with job submission), and the port of the coordinator's REST API on the host the
     * client dialed (0 if it serves none), so that a client given only the coordinator's address finds the API.
     */
    public record StatusReply(List<WorkerStatus> workers, int restPort) implements ProtoMessage {
        public StatusReply {
            workers = List.copyOf(workers);
        }

        /** A reply naming no REST API. */
        public StatusReply(List<WorkerStatus> workers) {
            this(workers, 0);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            for (WorkerStatus w : workers) {
                out.writeByteArray(1, w.toBytes());
            }
            if (restPort != 0) {
                out.writeInt32(2, restPort);
            }
        }

        public static StatusReply read(CodedInputStream in) throws IOException {
            List<WorkerStatus> workers = new ArrayList<>();
            int restPort = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> workers.add(WorkerStatus.read(CodedInputStream.newInstance(in.readByteArray())));
                    case 2 -> restPort = in.readInt32();
                    default -> in.skipField(tag);
                }
            }
            if (restPort < 0 || restPort > 65_535) {
                throw new IOException("a REST port of " + restPort);
            }
            return new StatusReply(workers, restPort);
        }
    }
}
