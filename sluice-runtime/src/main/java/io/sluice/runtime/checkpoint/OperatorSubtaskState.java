package io.sluice.runtime.checkpoint;

import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateFiles;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state one operator subtask contributed to a checkpoint: keyed state by key group, operator state, and (for a
 * source) its splits with their positions. Serialized into one checkpoint file by {@link #toBytes()}.
 *
 * @param uid         the operator's uid (what restore matches on)
 * @param subtask     the subtask that wrote it
 * @param parallelism the operator's parallelism when it was written
 * @param keyed       keyed state, or {@code null}
 * @param operator    operator state (possibly empty)
 * @param splits      the source's splits (Java-serialized list), or {@code null} for other operators
 */
public record OperatorSubtaskState(String uid, int subtask, int parallelism, KeyedStateSnapshot keyed,
        OperatorStateSnapshot operator, byte[] splits) {

    /**
     * The operator list state of a source subtask that holds the ids (UTF-8) of the splits it finished: split state
     * (each id goes to one new subtask on a rescale), so it is carried from checkpoint to checkpoint, and a restored
     * enumerator never assigns those splits again.
     */
    public static final String FINISHED_SPLITS = "sluice.finished-splits";

    private static final int MAGIC_V1 = 0x534C4F53; // "SLOS": key-group blocks only
    private static final int MAGIC = 0x534C4F32; // "SLO2": and keyed state files (incremental snapshots)

    /** Whether {@code file} is an operator subtask's state file (as opposed to a file its keyed state names). */
    public static boolean isStateFileName(StateFileHandle file) {
        return file.scope() == StateFileHandle.Scope.PRIVATE && file.name().startsWith("op-") && file.name().endsWith(".state");
    }

    /** This state with its keyed state files readable through {@code reader} (a loaded checkpoint). */
    public OperatorSubtaskState withFileReader(io.sluice.runtime.state.StateFileReader reader) {
        if (keyed == null || keyed.files() == null) {
            return this;
        }
        return new OperatorSubtaskState(uid, subtask, parallelism,
                new KeyedStateSnapshot(keyed.keyGroups(), keyed.files().withReader(reader)), operator, splits);
    }

    /** The checkpoint file name of operator {@code uid}'s subtask {@code subtask}. */
    public static String fileName(String uid, int subtask) {
        StringBuilder safe = new StringBuilder("op-");
        for (char c : uid.toCharArray()) {
            safe.append(Character.isLetterOrDigit(c) || c == '-' || c == '.' ? c : '_');
        }
        // The hash keeps uids that differ only in replaced characters apart.
        return safe.append('-').append(Integer.toHexString(uid.hashCode())).append('-').append(subtask).append(".state").toString();
    }

    /**
     * The state of a non-source operator subtask that finished (all its input ended): no keyed state, empty operator
     * state. Restored, it starts empty and its input ends at once.
     */
    public static OperatorSubtaskState finishedOperator(String uid, int subtask, int parallelism) {
        return new OperatorSubtaskState(uid, subtask, parallelism, null, new OperatorStateSnapshot(java.util.Map.of()), null);
    }

    /** The state of a source subtask that holds no splits and records no finished ones. */
    public static OperatorSubtaskState finishedSource(String uid, int subtask, int parallelism) {
        try {
            return ofSource(uid, subtask, parallelism, io.sluice.runtime.serialization.SplitLists.write(List.of()), List.of());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // an empty list always serializes
        }
    }

    /**
     * The state of a source subtask: the splits its reader holds ({@link io.sluice.runtime.serialization.SplitLists}
     * form) and the ids of the splits it finished ({@link #FINISHED_SPLITS}, each written by the API's string serializer).
     */
    public static OperatorSubtaskState ofSource(String uid, int subtask, int parallelism, byte[] splits,
            List<String> finishedSplitIds) {
        List<byte[]> ids = new ArrayList<>(finishedSplitIds.size());
        for (String id : finishedSplitIds) {
            ids.add(encodeSplitId(id));
        }
        OperatorStateSnapshot operator = new OperatorStateSnapshot(ids.isEmpty() ? Map.of()
                : Map.of(FINISHED_SPLITS, new OperatorStateSnapshot.Entry(OperatorStateSnapshot.Mode.SPLIT, ids)));
        return new OperatorSubtaskState(uid, subtask, parallelism, null, operator, splits);
    }

    /** An element of {@link #FINISHED_SPLITS}: the id as the API's string serializer writes it. */
    private static byte[] encodeSplitId(String id) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            io.sluice.api.types.Types.STRING.serialize(id, new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array never fails
        }
    }

    /** The split ids in {@link #FINISHED_SPLITS} of this (source) state. */
    public List<String> finishedSplitIds() throws IOException {
        return finishedSplitIds(operator);
    }

    /** The split ids in {@link #FINISHED_SPLITS} of a source subtask's operator state. */
    public static List<String> finishedSplitIds(OperatorStateSnapshot operator) throws IOException {
        OperatorStateSnapshot.Entry entry = operator.states().get(FINISHED_SPLITS);
        if (entry == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(entry.elements().size());
        for (byte[] element : entry.elements()) {
            ids.add(io.sluice.api.types.Types.STRING.deserialize(new DataInputStream(new ByteArrayInputStream(element))));
        }
        return ids;
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeUTF(uid);
        out.writeInt(subtask);
        out.writeInt(parallelism);
        out.writeBoolean(keyed != null);
        if (keyed != null) {
            out.writeInt(keyed.keyGroups().size());
            for (Map.Entry<Integer, byte[]> e : keyed.keyGroups().entrySet()) {
                out.writeInt(e.getKey());
                writeBytes(out, e.getValue());
            }
            out.writeBoolean(keyed.files() != null);
            if (keyed.files() != null) {
                writeFiles(out, keyed.files());
            }
        }
        out.writeInt(operator.states().size());
        for (Map.Entry<String, OperatorStateSnapshot.Entry> e : operator.states().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeByte(e.getValue().mode().ordinal());
            out.writeInt(e.getValue().elements().size());
            for (byte[] element : e.getValue().elements()) {
                writeBytes(out, element);
            }
        }
        out.writeBoolean(splits != null);
        if (splits != null) {
            writeBytes(out, splits);
        }
        out.flush();
        return bytes.toByteArray();
    }

    public static OperatorSubtaskState fromBytes(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        int magic = in.readInt();
        if (magic != MAGIC && magic != MAGIC_V1) {
            throw new IOException("not an operator state file");
        }
        String uid = in.readUTF();
        int subtask = in.readInt();
        int parallelism = in.readInt();
        KeyedStateSnapshot keyed = null;
        if (in.readBoolean()) {
            int n = in.readInt();
            Map<Integer, byte[]> groups = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                groups.put(in.readInt(), readBytes(in));
            }
            KeyedStateFiles files = magic == MAGIC && in.readBoolean() ? readFiles(in) : null;
            keyed = new KeyedStateSnapshot(groups, files);
        }
        int states = in.readInt();
        Map<String, OperatorStateSnapshot.Entry> operator = new LinkedHashMap<>();
        for (int i = 0; i < states; i++) {
            String name = in.readUTF();
            OperatorStateSnapshot.Mode mode = OperatorStateSnapshot.Mode.values()[in.readByte()];
            int n = in.readInt();
            List<byte[]> elements = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                elements.add(readBytes(in));
            }
            operator.put(name, new OperatorStateSnapshot.Entry(mode, elements));
        }
        byte[] splits = in.readBoolean() ? readBytes(in) : null;
        return new OperatorSubtaskState(uid, subtask, parallelism, keyed, new OperatorStateSnapshot(operator), splits);
    }

    /** The shared and private files the keyed state names (incremental snapshots): they belong to the checkpoint. */
    public List<StateFileHandle> keyedFiles() {
        if (keyed == null || keyed.files() == null) {
            return List.of();
        }
        return keyed.files().files().stream().map(KeyedStateFiles.File::handle).toList();
    }

    private static void writeFiles(DataOutputStream out, KeyedStateFiles files) throws IOException {
        out.writeUTF(files.format());
        out.writeInt(files.range().first());
        out.writeInt(files.range().end());
        writeBytes(out, files.meta());
        out.writeInt(files.files().size());
        for (KeyedStateFiles.File f : files.files()) {
            out.writeUTF(f.localName());
            StateFileHandle h = f.handle();
            out.writeByte(h.scope().ordinal());
            out.writeUTF(h.name());
            out.writeLong(h.size());
            out.writeInt(h.crc32c());
        }
    }

    private static KeyedStateFiles readFiles(DataInputStream in) throws IOException {
        String format = in.readUTF();
        KeyGroupRange range = new KeyGroupRange(in.readInt(), in.readInt());
        byte[] meta = readBytes(in);
        int n = in.readInt();
        List<KeyedStateFiles.File> files = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String localName = in.readUTF();
            int scope = in.readByte();
            if (scope < 0 || scope >= StateFileHandle.Scope.values().length) {
                throw new IOException("unknown file scope " + scope);
            }
            files.add(new KeyedStateFiles.File(localName, new StateFileHandle(StateFileHandle.Scope.values()[scope],
                    in.readUTF(), in.readLong(), in.readInt())));
        }
        return new KeyedStateFiles(format, range, files, meta, null);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
