package io.sluice.cluster.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.sluice.runtime.checkpoint.OperatorSubtaskState;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.checkpoint.restore.RestoredKeyedState;
import io.sluice.runtime.checkpoint.restore.SubtaskRestore;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.plan.ChannelId;
import io.sluice.runtime.plan.InputChannel;
import io.sluice.runtime.plan.TaskSpec;
import io.sluice.runtime.serialization.SplitLists;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.StateFileReader;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire form of a {@link TaskSpec} (message {@code TaskSpec} of {@code cluster.proto}), what the coordinator sends
 * a worker to deploy one task. State travels as in a checkpoint file: a restored subtask's keyed snapshots and its
 * operator state share in the checkpoint's own {@link OperatorSubtaskState} format; files that keyed state names are
 * handles, read on the worker from the checkpoint's location ({@link TaskSpec#restoreLocation()}), which all
 * processes of a cluster see (a shared directory). Restored source splits are Java-serialized as in checkpoints
 * ({@link SplitLists}): they come only from the coordinator, over an authenticated connection, like the job's user
 * functions, and are read with the job's class loader.
 */
public final class TaskSpecCodec {
    private TaskSpecCodec() {}

    /** The bytes of {@code spec}. */
    public static byte[] encode(TaskSpec spec) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, spec.key().chainId());
            out.writeInt32(2, spec.key().subtask());
            out.writeInt32(3, spec.key().attempt());
            out.writeString(4, spec.name());
            out.writeInt32(5, spec.parallelism());
            for (int id : spec.nodeIds()) {
                out.writeInt32(6, id);
            }
            out.writeInt32(7, spec.keyGroups().first());
            out.writeInt32(8, spec.keyGroups().end());
            for (InputChannel in : spec.inputs()) {
                out.writeByteArray(9, message(o -> {
                    o.writeByteArray(1, channelId(in.channel()));
                    o.writeInt32(2, in.targetInput());
                }));
            }
            for (TaskSpec.OutputChannels output : spec.outputs()) {
                out.writeByteArray(10, message(o -> {
                    o.writeInt32(1, output.edge());
                    for (ChannelId c : output.channels()) {
                        o.writeByteArray(2, channelId(c));
                    }
                }));
            }
            if (spec.sourceUid() != null) {
                out.writeString(11, spec.sourceUid());
            }
            out.writeBool(12, spec.checkpoints().enabled());
            out.writeBool(13, spec.checkpoints().exactlyOnce());
            for (Map.Entry<String, SubtaskRestore> e : new TreeMap<>(spec.restore()).entrySet()) {
                out.writeByteArray(14, restore(e.getKey(), spec, e.getValue()));
            }
            if (spec.restoreLocation() != null) {
                out.writeString(15, spec.restoreLocation());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // byte arrays never fail; a split that cannot be serialized does
        }
    }

    /**
     * The task spec in {@code bytes}. Restored keyed files are read from the spec's restore location, opened here;
     * restored splits are read with {@code userClasses} (the job's class loader).
     *
     * @throws IOException if the bytes are malformed or the checkpoint cannot be opened, naming the task
     */
    public static TaskSpec decode(byte[] bytes, ClassLoader userClasses) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int chainId = 0;
        int subtask = 0;
        int attempt = 0;
        String name = "";
        int parallelism = 0;
        List<Integer> nodeIds = new ArrayList<>();
        int first = 0;
        int end = 0;
        List<InputChannel> inputs = new ArrayList<>();
        List<TaskSpec.OutputChannels> outputs = new ArrayList<>();
        String sourceUid = null;
        boolean enabled = false;
        boolean exactlyOnce = false;
        List<byte[]> restores = new ArrayList<>();
        String location = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> chainId = in.readInt32();
                case 2 -> subtask = in.readInt32();
                case 3 -> attempt = in.readInt32();
                case 4 -> name = in.readString();
                case 5 -> parallelism = in.readInt32();
                case 6 -> readInts(in, tag, nodeIds);
                case 7 -> first = in.readInt32();
                case 8 -> end = in.readInt32();
                case 9 -> inputs.add(inputChannel(in.readByteArray()));
                case 10 -> outputs.add(outputChannels(in.readByteArray()));
                case 11 -> sourceUid = in.readString();
                case 12 -> enabled = in.readBool();
                case 13 -> exactlyOnce = in.readBool();
                case 14 -> restores.add(in.readByteArray());
                case 15 -> location = in.readString();
                default -> in.skipField(tag);
            }
        }
        String task = name + " (" + (subtask + 1) + "/" + parallelism + ", attempt " + attempt + ")";
        StateFileReader files = location == null ? null : openLater(location, task);
        Map<String, SubtaskRestore> restore = new LinkedHashMap<>();
        for (byte[] r : restores) {
            readRestore(r, files, userClasses, restore, task);
        }
        return new TaskSpec(new TaskKey(chainId, subtask, attempt), name, parallelism, nodeIds, new KeyGroupRange(first, end),
                inputs, outputs, sourceUid, new TaskSpec.CheckpointSettings(enabled, exactlyOnce), restore, location);
    }

    /** A repeated int32 field, packed (as protoc writes it) or not (as {@link #encode} does). */
    private static void readInts(CodedInputStream in, int tag, List<Integer> into) throws IOException {
        if ((tag & 7) == 2) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                into.add(in.readInt32());
            }
            in.popLimit(limit);
        } else {
            into.add(in.readInt32());
        }
    }

    /** One operator's restore: its uid, each keyed snapshot, and its operator state share with its splits. */
    private static byte[] restore(String uid, TaskSpec spec, SubtaskRestore restore) throws IOException {
        byte[] share = new OperatorSubtaskState(uid, spec.subtask(), spec.parallelism(), null, restore.operator(),
                SplitLists.write(restore.splits())).toBytes();
        List<byte[]> keyed = new ArrayList<>();
        for (RestoredKeyedState k : restore.keyed()) {
            keyed.add(new OperatorSubtaskState(uid, k.subtask(), k.parallelism(), k.snapshot(),
                    new OperatorStateSnapshot(Map.of()), null).toBytes());
        }
        return message(o -> {
            o.writeString(1, uid);
            o.writeByteArray(2, share);
            for (byte[] k : keyed) {
                o.writeByteArray(3, k);
            }
        });
    }

    private static void readRestore(byte[] bytes, StateFileReader files, ClassLoader userClasses,
            Map<String, SubtaskRestore> into, String task) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String uid = null;
        OperatorSubtaskState share = null;
        List<RestoredKeyedState> keyed = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> uid = in.readString();
                case 2 -> share = OperatorSubtaskState.fromBytes(in.readByteArray());
                case 3 -> {
                    OperatorSubtaskState k = OperatorSubtaskState.fromBytes(in.readByteArray());
                    KeyedStateSnapshot snapshot = k.keyed();
                    if (snapshot == null) {
                        throw new IOException("task " + task + ": a restored keyed snapshot without keyed state");
                    }
                    if (snapshot.files() != null) {
                        if (files == null) {
                            throw new IOException("task " + task + ": restored keyed state names files but the spec has "
                                    + "no checkpoint location to read them from");
                        }
                        snapshot = new KeyedStateSnapshot(snapshot.keyGroups(), snapshot.files().withReader(files));
                    }
                    keyed.add(new RestoredKeyedState(k.subtask(), k.parallelism(), snapshot));
                }
                default -> in.skipField(tag);
            }
        }
        if (uid == null || share == null) {
            throw new IOException("task " + task + ": a restore entry without its operator uid or state share");
        }
        into.put(uid, new SubtaskRestore(keyed, share.operator(), SplitLists.read(share.splits(), userClasses)));
    }

    /** Reads files of the checkpoint at {@code location}, which is opened (verified) on the first read. */
    private static StateFileReader openLater(String location, String task) {
        CompletedCheckpoint[] opened = new CompletedCheckpoint[1];
        return file -> {
            synchronized (opened) {
                if (opened[0] == null) {
                    try {
                        opened[0] = FileSystemCheckpointStorage.openPath(Path.of(location));
                    } catch (IOException e) {
                        throw new IOException("task " + task + ": cannot open the checkpoint at " + location + ": "
                                + e.getMessage(), e);
                    }
                }
            }
            return opened[0].openFile(file);
        };
    }

    private static byte[] channelId(ChannelId c) throws IOException {
        return message(o -> {
            o.writeInt32(1, c.edge());
            o.writeInt32(2, c.producer());
            o.writeInt32(3, c.consumer());
        });
    }

    private static ChannelId readChannelId(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int edge = 0;
        int producer = 0;
        int consumer = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> edge = in.readInt32();
                case 2 -> producer = in.readInt32();
                case 3 -> consumer = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        return new ChannelId(edge, producer, consumer);
    }

    private static InputChannel inputChannel(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        ChannelId channel = null;
        int target = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> channel = readChannelId(in.readByteArray());
                case 2 -> target = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        if (channel == null) {
            throw new IOException("an input channel without its channel id");
        }
        return new InputChannel(channel, target);
    }

    private static TaskSpec.OutputChannels outputChannels(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int edge = 0;
        List<ChannelId> channels = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (tag >>> 3) {
                case 1 -> edge = in.readInt32();
                case 2 -> channels.add(readChannelId(in.readByteArray()));
                default -> in.skipField(tag);
            }
        }
        return new TaskSpec.OutputChannels(edge, channels);
    }

    /** Writes a nested message with {@code body} and returns its bytes. */
    private static byte[] message(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        body.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    @FunctionalInterface
    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }
}
