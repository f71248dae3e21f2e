package io.sluice.runtime.checkpoint;

import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The coordinator-side state of one source in a checkpoint: the splits its enumerator owned (assigned to no reader)
 * when the checkpoint started. One file per source, beside the operator subtask files.
 *
 * @param uid    the source's uid
 * @param splits the enumerator's splits: a Java-serialized {@code List} written by the runtime (never read from the
 *               network)
 */
public record EnumeratorState(String uid, byte[] splits) {
    private static final int MAGIC = 0x534C454E; // "SLEN"

    /** Whether {@code file} holds a source's enumerator state. */
    public static boolean isFile(StateFileHandle file) {
        return file.scope() == StateFileHandle.Scope.PRIVATE && file.name().startsWith("enum-") && file.name().endsWith(".state");
    }

    /** The checkpoint file name of source {@code uid}'s enumerator state. */
    public static String fileName(String uid) {
        return "enum-" + OperatorSubtaskState.fileName(uid, 0).substring("op-".length());
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeUTF(uid);
        out.writeInt(splits.length);
        out.write(splits);
        out.flush();
        return bytes.toByteArray();
    }

    public static EnumeratorState fromBytes(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a source enumerator state file");
        }
        String uid = in.readUTF();
        byte[] splits = new byte[in.readInt()];
        in.readFully(splits);
        return new EnumeratorState(uid, splits);
    }
}
