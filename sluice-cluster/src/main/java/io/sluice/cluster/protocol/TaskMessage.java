package io.sluice.cluster.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A message about the tasks of one attempt of a job whose tasks are spread over workers (schema: {@code TaskMessage}
 * in {@code cluster.proto}), in either direction of a worker's control stream; {@link Kind#METRICS} also of an attempt
 * a worker runs whole. Which fields a kind uses is said at each {@link Kind}; the others stay empty.
 *
 * @param job          the job's id on the coordinator
 * @param attempt      the attempt: a message of another attempt is dropped
 * @param chain        a task's chain id (with {@code subtask}: the task), or -1
 * @param subtask      a task's subtask index, or a source reader's, or -1
 * @param checkpointId a checkpoint's id, or a request's id, or 0
 * @param text         a reason, a source uid, a location
 * @param number       a count or duration
 * @param strings      repeated strings (placement entries, jar hashes)
 * @param blobs        repeated byte strings (task specs, state files, handles, splits)
 */
public record TaskMessage(Kind kind, String job, int attempt, int chain, int subtask, long checkpointId, String text,
        long number, List<String> strings, List<byte[]> blobs) implements ProtoMessage {

    /** What a message says; "to worker" kinds go down the stream, "to coordinator" kinds up. */
    public enum Kind {
        /** To worker: build the tasks named in {@code strings}, each entry prefixed: {@link #JAR} and {@link #GRAPH}
         * and {@link #SPEC} blobs (SHA-256 in the coordinator's blob store), {@link #TASK} where every task of the
         * attempt runs ("chain/subtask=host:port"); {@code text}: the job's checkpoint root, {@code number}: the
         * progress interval (ms). */
        DEPLOY,
        /** To coordinator: the worker built its tasks ({@code text} empty) or could not ({@code text}: why). */
        DEPLOYED,
        /** To worker: start the tasks built. */
        START,
        /** To worker: cancel this attempt's tasks here. */
        CANCEL,
        /** To worker: checkpoint {@code checkpointId} is written under storage root {@code text}. */
        CHECKPOINT_STARTED,
        /** To worker: trigger checkpoint {@code checkpointId} at source task (chain, subtask); {@code number} 1 for a
         * savepoint. */
        TRIGGER,
        /** To worker: checkpoint {@code checkpointId} completed, for task (chain, subtask). */
        COMPLETE,
        /** To worker: checkpoint {@code checkpointId} was aborted, for task (chain, subtask). */
        ABORT,
        /** To worker: for reader {@code subtask} of source {@code text}: splits assigned ({@code blobs}: one
         * serialized split list), or ({@code number} 1) no more splits, or ({@code number} 2) registered. */
        READER,
        /** To worker: run what operators left for the job's success (sinks' last commits); answered with
         * {@link #FINAL_ACTIONS_RUN}. */
        RUN_FINAL_ACTIONS,
        /** To coordinator: the final actions ran ({@code text} empty) or failed ({@code text}: why). */
        FINAL_ACTIONS_RUN,
        /** To coordinator: reader {@code subtask} of source {@code text} registered ({@code number} 0) or asks for a
         * split ({@code number} 1). */
        SPLITS,
        /** To coordinator: task (chain, subtask) acknowledged checkpoint {@code checkpointId}: {@code blobs} its
         * state file handles, {@code number} its alignment time (ms). */
        ACK,
        /** To coordinator: task (chain, subtask) declined checkpoint {@code checkpointId}: {@code text} why. */
        DECLINE,
        /** To coordinator: task (chain, subtask) finished; {@code number} the last checkpoint it took part in,
         * {@code blobs} its operators' states as it ended. */
        TASK_FINISHED,
        /** To coordinator: an operator left its final state ({@code blobs}: one state). */
        OPERATOR_FINISHED,
        /** To coordinator: a task here failed ({@code text}: the operator, subtask and cause). */
        FAILED,
        /** To coordinator: every task of the attempt here ended; {@code blobs}: one operator count each. */
        ENDED,
        /** To worker: wait up to {@code number} ms until every task here ran what was posted to it (request id
         * {@code checkpointId}); answered with {@link #POSTED_RUN}. */
        AWAIT_POSTED,
        /** To coordinator: the tasks here ran what was posted ({@code strings}: those that did not in time). */
        POSTED_RUN,
        /** To coordinator: what the worker measured of its tasks now ({@code blobs}: one {@link TaskMetrics}); about
         * once a second while they run, and once more as they end; each replaces the worker's previous one. Also sent,
         * inside the same event, for an attempt the worker runs whole ({@code --placement job}), with its checkpoints
         * and failures. */
        METRICS
    }

    /** A deployment's entry: a jar of the job (its SHA-256). */
    public static final String JAR = "jar:";
    /** A deployment's entry: the serialized job graph (its SHA-256). */
    public static final String GRAPH = "graph:";
    /** A deployment's entry: one task's spec, as {@code TaskSpecCodec} writes it (its SHA-256). */
    public static final String SPEC = "spec:";
    /** A deployment's entry: where a task runs, {@code chain/subtask=host:port}. */
    public static final String TASK = "task:";

    /** The entries of {@code kind} ({@link #JAR}, {@link #GRAPH}, {@link #SPEC}, {@link #TASK}), without the prefix. */
    public List<String> entries(String prefix) {
        return strings.stream().filter(s -> s.startsWith(prefix)).map(s -> s.substring(prefix.length())).toList();
    }

    public TaskMessage {
        strings = List.copyOf(strings);
        blobs = List.copyOf(blobs);
    }

    /** A message with no repeated fields. */
    public static TaskMessage of(Kind kind, String job, int attempt, int chain, int subtask, long checkpointId,
            String text, long number) {
        return new TaskMessage(kind, job, attempt, chain, subtask, checkpointId, text, number, List.of(), List.of());
    }

    @Override
    public void writeTo(CodedOutputStream out) throws IOException {
        out.writeInt32(1, kind.ordinal() + 1);
        out.writeString(2, job);
        out.writeInt32(3, attempt);
        out.writeInt32(4, chain);
        out.writeInt32(5, subtask);
        out.writeInt64(6, checkpointId);
        out.writeString(7, text);
        out.writeInt64(8, number);
        for (String s : strings) {
            out.writeString(9, s);
        }
        for (byte[] b : blobs) {
            out.writeBytes(10, ByteString.copyFrom(b));
        }
    }

    public static TaskMessage read(CodedInputStream in) throws IOException {
        int kind = 0;
        String job = "";
        int attempt = 0;
        int chain = -1;
        int subtask = -1;
        long checkpointId = 0;
        String text = "";
        long number = 0;
        List<String> strings = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> kind = in.readInt32();
                case 2 -> job = in.readString();
                case 3 -> attempt = in.readInt32();
                case 4 -> chain = in.readInt32();
                case 5 -> subtask = in.readInt32();
                case 6 -> checkpointId = in.readInt64();
                case 7 -> text = in.readString();
                case 8 -> number = in.readInt64();
                case 9 -> strings.add(in.readString());
                case 10 -> blobs.add(in.readByteArray());
                default -> in.skipField(tag);
            }
        }
        if (kind < 1 || kind > Kind.values().length) {
            throw new IOException("unknown task message kind " + kind);
        }
        return new TaskMessage(Kind.values()[kind - 1], job, attempt, chain, subtask, checkpointId, text, number, strings,
                blobs);
    }
}
