package io.sluice.runtime.checkpoint;

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

    private static final int MAGIC = 0x534C4F53; // "SLOS"

    /** The checkpoint file name of operator {@code uid}'s subtask {@code subtask}. */
    public static String fileName(String uid, int subtask) {
        StringBuilder safe = new StringBuilder("op-");
        for (char c : uid.toCharArray()) {
            safe.append(Character.isLetterOrDigit(c) || c == '-' || c == '.' ? c : '_');
        }
        // The hash keeps uids that differ only in replaced characters apart.
        return safe.append('-').append(Integer.toHexString(uid.hashCode())).append('-').append(subtask).append(".state").toString();
    }

    /** The state of a source subtask that has read all its splits: no splits left. */
    public static OperatorSubtaskState finishedSource(String uid, int subtask, int parallelism) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(new java.util.ArrayList<>());
            }
            return new OperatorSubtaskState(uid, subtask, parallelism, null,
                    new OperatorStateSnapshot(java.util.Map.of()), bytes.toByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
        if (in.readInt() != MAGIC) {
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
            keyed = new KeyedStateSnapshot(groups);
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
