package io.sluice.cluster.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The control messages about jobs (schema: {@code cluster.proto}): what clients submit and ask, blobs (job jars, by
 * SHA-256), and the commands and events on each worker's control stream.
 */
public final class JobMessages {
    private JobMessages() {}

    /** Asks whether the coordinator holds a blob. */
    public record BlobQuery(String sha256) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, sha256);
        }

        public static BlobQuery read(CodedInputStream in) throws IOException {
            String hash = "";
            for (int tag; (tag = in.readTag()) != 0; ) {
                if (tag >>> 3 == 1) {
                    hash = in.readString();
                } else {
                    in.skipField(tag);
                }
            }
            return new BlobQuery(hash);
        }
    }

    /** Whether a blob is complete at the coordinator, and how many of its bytes it holds. */
    public record BlobState(boolean present, long size) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeBool(1, present);
            out.writeInt64(2, size);
        }

        public static BlobState read(CodedInputStream in) throws IOException {
            boolean present = false;
            long size = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> present = in.readBool();
                    case 2 -> size = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
            return new BlobState(present, size);
        }
    }

    /** Part of a blob: uploaded by a client in order, or read by a worker; {@code total} is the blob's size. */
    public record BlobChunk(String sha256, long offset, byte[] data, long total) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, sha256);
            out.writeInt64(2, offset);
            out.writeByteArray(3, data);
            out.writeInt64(4, total);
        }

        public static BlobChunk read(CodedInputStream in) throws IOException {
            String hash = "";
            long offset = 0;
            byte[] data = new byte[0];
            long total = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> hash = in.readString();
                    case 2 -> offset = in.readInt64();
                    case 3 -> data = in.readByteArray();
                    case 4 -> total = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
            return new BlobChunk(hash, offset, data, total);
        }
    }

    /** A worker reads a blob from {@code offset}. */
    public record BlobRead(String sha256, long offset) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, sha256);
            out.writeInt64(2, offset);
        }

        public static BlobRead read(CodedInputStream in) throws IOException {
            String hash = "";
            long offset = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> hash = in.readString();
                    case 2 -> offset = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
            return new BlobRead(hash, offset);
        }
    }

    /**
     * A job submission: the {@code bin/sluice run} arguments that define it (a built-in example or a main class,
     * paths already absolute), and the SHA-256 of each jar it needs, uploaded before.
     */
    public record SubmitJob(List<String> argv, List<String> jars) implements ProtoMessage {
        public SubmitJob {
            argv = List.copyOf(argv);
            jars = List.copyOf(jars);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            for (String a : argv) {
                out.writeString(1, a);
            }
            for (String j : jars) {
                out.writeString(2, j);
            }
        }

        public static SubmitJob read(CodedInputStream in) throws IOException {
            List<String> argv = new ArrayList<>();
            List<String> jars = new ArrayList<>();
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> argv.add(in.readString());
                    case 2 -> jars.add(in.readString());
                    default -> in.skipField(tag);
                }
            }
            return new SubmitJob(argv, jars);
        }
    }

    /** Names a job; empty for "every job" where a list is asked for. */
    public record JobRef(String jobId) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, jobId);
        }

        public static JobRef read(CodedInputStream in) throws IOException {
            String id = "";
            for (int tag; (tag = in.readTag()) != 0; ) {
                if (tag >>> 3 == 1) {
                    id = in.readString();
                } else {
                    in.skipField(tag);
                }
            }
            return new JobRef(id);
        }
    }

    /** What a client asks of a running job. */
    public enum ActionKind { CANCEL, SAVEPOINT, STOP }

    /** A client's request to cancel a job, take a savepoint into {@code directory}, or stop it with one there. */
    public record JobAction(String jobId, ActionKind kind, String directory) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, jobId);
            out.writeInt32(2, kind.ordinal() + 1);
            out.writeString(3, directory);
        }

        public static JobAction read(CodedInputStream in) throws IOException {
            String id = "";
            int kind = 0;
            String dir = "";
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> id = in.readString();
                    case 2 -> kind = in.readInt32();
                    case 3 -> dir = in.readString();
                    default -> in.skipField(tag);
                }
            }
            return new JobAction(id, enumAt(ActionKind.values(), kind, "job action"), dir);
        }
    }

    /** The answer to a job action: the savepoint's path, empty for a cancel. */
    public record ActionReply(String path) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, path);
        }

        public static ActionReply read(CodedInputStream in) throws IOException {
            return new ActionReply(JobRef.read(in).jobId()); // the same shape: one string, field 1
        }
    }

    /** Records in and out of one operator. */
    public record OperatorCount(int nodeId, String name, long recordsIn, long recordsOut) implements ProtoMessage {
        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeInt32(1, nodeId);
            out.writeString(2, name);
            out.writeInt64(3, recordsIn);
            out.writeInt64(4, recordsOut);
        }

        public static OperatorCount read(CodedInputStream in) throws IOException {
            int id = 0;
            String name = "";
            long recordsIn = 0;
            long recordsOut = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> id = in.readInt32();
                    case 2 -> name = in.readString();
                    case 3 -> recordsIn = in.readInt64();
                    case 4 -> recordsOut = in.readInt64();
                    default -> in.skipField(tag);
                }
            }
            return new OperatorCount(id, name, recordsIn, recordsOut);
        }
    }

    /**
     * A job as the coordinator sees it. {@code state} is one of {@code CREATED, WAITING, RUNNING, RESTARTING,
     * FINISHED, FAILED, CANCELLED}; {@code worker} where its current attempt runs (empty when none); {@code failure}
     * why it failed or last restarted; {@code operators} and {@code durationMillis} its result once finished.
     */
    public record JobInfo(String jobId, String name, String state, String worker, int restarts, String failure,
            long durationMillis, List<OperatorCount> operators, int slots) implements ProtoMessage {
        public JobInfo {
            operators = List.copyOf(operators);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(1, jobId);
            out.writeString(2, name);
            out.writeString(3, state);
            out.writeString(4, worker);
            out.writeInt32(5, restarts);
            out.writeString(6, failure);
            out.writeInt64(7, durationMillis);
            for (OperatorCount o : operators) {
                out.writeByteArray(8, o.toBytes());
            }
            out.writeInt32(9, slots);
        }

        public static JobInfo read(CodedInputStream in) throws IOException {
            String id = "";
            String name = "";
            String state = "";
            String worker = "";
            int restarts = 0;
            String failure = "";
            long duration = 0;
            List<OperatorCount> operators = new ArrayList<>();
            int slots = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> id = in.readString();
                    case 2 -> name = in.readString();
                    case 3 -> state = in.readString();
                    case 4 -> worker = in.readString();
                    case 5 -> restarts = in.readInt32();
                    case 6 -> failure = in.readString();
                    case 7 -> duration = in.readInt64();
                    case 8 -> operators.add(OperatorCount.read(CodedInputStream.newInstance(in.readByteArray())));
                    case 9 -> slots = in.readInt32();
                    default -> in.skipField(tag);
                }
            }
            return new JobInfo(id, name, state, worker, restarts, failure, duration, operators, slots);
        }
    }

    /** Jobs, in submission order. */
    public record JobList(List<JobInfo> jobs) implements ProtoMessage {
        public JobList {
            jobs = List.copyOf(jobs);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            for (JobInfo j : jobs) {
                out.writeByteArray(1, j.toBytes());
            }
        }

        public static JobList read(CodedInputStream in) throws IOException {
            List<JobInfo> jobs = new ArrayList<>();
            for (int tag; (tag = in.readTag()) != 0; ) {
                if (tag >>> 3 == 1) {
                    jobs.add(JobInfo.read(CodedInputStream.newInstance(in.readByteArray())));
                } else {
                    in.skipField(tag);
                }
            }
            return new JobList(jobs);
        }
    }

    /** What the coordinator tells a worker about a job. */
    public enum CommandKind { DEPLOY, CANCEL, SAVEPOINT, STOP, TASKS }

    /**
     * A command on a worker's control stream. {@code DEPLOY} carries the job's graph (serialized by the coordinator,
     * read with the job's class loader), the jars to fetch by SHA-256 and the state to restore; {@code SAVEPOINT} and
     * {@code STOP} a request id the worker's answer repeats, and the savepoint's directory.
     */
    public record WorkerCommand(CommandKind kind, String jobId, int attempt, byte[] graph, List<String> jars,
            String restorePath, boolean allowNonRestoredState, long requestId, String directory,
            long progressIntervalMillis, TaskMessage task) implements ProtoMessage {
        public WorkerCommand {
            jars = List.copyOf(jars);
        }

        public WorkerCommand(CommandKind kind, String jobId, int attempt, byte[] graph, List<String> jars,
                String restorePath, boolean allowNonRestoredState, long requestId, String directory,
                long progressIntervalMillis) {
            this(kind, jobId, attempt, graph, jars, restorePath, allowNonRestoredState, requestId, directory,
                    progressIntervalMillis, null);
        }

        /** A command that carries no deployment. */
        public static WorkerCommand about(CommandKind kind, String jobId, int attempt, long requestId, String directory) {
            return new WorkerCommand(kind, jobId, attempt, new byte[0], List.of(), "", false, requestId, directory, 0);
        }

        /** A message to the tasks of a spread attempt. */
        public static WorkerCommand tasks(TaskMessage task) {
            return new WorkerCommand(CommandKind.TASKS, task.job(), task.attempt(), new byte[0], List.of(), "", false, 0, "",
                    0, task);
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeInt32(1, kind.ordinal() + 1);
            out.writeString(2, jobId);
            out.writeInt32(3, attempt);
            out.writeBytes(4, ByteString.copyFrom(graph));
            for (String j : jars) {
                out.writeString(5, j);
            }
            out.writeString(6, restorePath);
            out.writeBool(7, allowNonRestoredState);
            out.writeInt64(8, requestId);
            out.writeString(9, directory);
            out.writeInt64(10, progressIntervalMillis);
            if (task != null) {
                out.writeByteArray(11, task.toBytes());
            }
        }

        public static WorkerCommand read(CodedInputStream in) throws IOException {
            int kind = 0;
            String job = "";
            int attempt = 0;
            byte[] graph = new byte[0];
            List<String> jars = new ArrayList<>();
            String restore = "";
            boolean allow = false;
            long request = 0;
            String dir = "";
            long progress = 0;
            TaskMessage task = null;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> kind = in.readInt32();
                    case 2 -> job = in.readString();
                    case 3 -> attempt = in.readInt32();
                    case 4 -> graph = in.readByteArray();
                    case 5 -> jars.add(in.readString());
                    case 6 -> restore = in.readString();
                    case 7 -> allow = in.readBool();
                    case 8 -> request = in.readInt64();
                    case 9 -> dir = in.readString();
                    case 10 -> progress = in.readInt64();
                    case 11 -> task = TaskMessage.read(CodedInputStream.newInstance(in.readByteArray()));
                    default -> in.skipField(tag);
                }
            }
            return new WorkerCommand(enumAt(CommandKind.values(), kind, "worker command"), job, attempt, graph, jars,
                    restore, allow, request, dir, progress, task);
        }
    }

    /** What a worker reports on its control stream. */
    public enum EventKind { ATTACH, RUNNING, FINISHED, FAILED, SAVEPOINT_DONE, SAVEPOINT_FAILED, TASKS }

    /**
     * An event on a worker's control stream: {@code ATTACH} (first, naming the worker), a job attempt's state, or the
     * answer to a savepoint request ({@code text}: the path, or why it failed).
     */
    public record WorkerEvent(EventKind kind, String workerId, String jobId, int attempt, long requestId, String text,
            long durationMillis, List<OperatorCount> operators, TaskMessage task) implements ProtoMessage {
        public WorkerEvent {
            operators = List.copyOf(operators);
        }

        public WorkerEvent(EventKind kind, String workerId, String jobId, int attempt, long requestId, String text,
                long durationMillis, List<OperatorCount> operators) {
            this(kind, workerId, jobId, attempt, requestId, text, durationMillis, operators, null);
        }

        /** A message from the tasks of a spread attempt. */
        public static WorkerEvent tasks(String workerId, TaskMessage task) {
            return new WorkerEvent(EventKind.TASKS, workerId, task.job(), task.attempt(), 0, "", 0, List.of(), task);
        }

        public static WorkerEvent of(EventKind kind, String workerId, String jobId, int attempt, long requestId,
                String text) {
            return new WorkerEvent(kind, workerId, jobId, attempt, requestId, text, 0, List.of());
        }

        @Override
        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeInt32(1, kind.ordinal() + 1);
            out.writeString(2, workerId);
            out.writeString(3, jobId);
            out.writeInt32(4, attempt);
            out.writeInt64(5, requestId);
            out.writeString(6, text);
            out.writeInt64(7, durationMillis);
            for (OperatorCount o : operators) {
                out.writeByteArray(8, o.toBytes());
            }
            if (task != null) {
                out.writeByteArray(9, task.toBytes());
            }
        }

        public static WorkerEvent read(CodedInputStream in) throws IOException {
            int kind = 0;
            String worker = "";
            String job = "";
            int attempt = 0;
            long request = 0;
            String text = "";
            long duration = 0;
            List<OperatorCount> operators = new ArrayList<>();
            TaskMessage task = null;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> kind = in.readInt32();
                    case 2 -> worker = in.readString();
                    case 3 -> job = in.readString();
                    case 4 -> attempt = in.readInt32();
                    case 5 -> request = in.readInt64();
                    case 6 -> text = in.readString();
                    case 7 -> duration = in.readInt64();
                    case 8 -> operators.add(OperatorCount.read(CodedInputStream.newInstance(in.readByteArray())));
                    case 9 -> task = TaskMessage.read(CodedInputStream.newInstance(in.readByteArray()));
                    default -> in.skipField(tag);
                }
            }
            return new WorkerEvent(enumAt(EventKind.values(), kind, "worker event"), worker, job, attempt, request, text,
                    duration, operators, task);
        }
    }

    /** The enum value written as {@code ordinal + 1} (0 is protobuf's "unset"); an unknown number is malformed. */
    private static <E extends Enum<E>> E enumAt(E[] values, int number, String what) throws IOException {
        if (number < 1 || number > values.length) {
            throw new IOException("unknown " + what + " kind " + number);
        }
        return values[number - 1];
    }
}
