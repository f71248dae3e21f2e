package io.sluice.cluster.protocol;

import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The bytes of the small values task messages carry: state file handles. */
public final class TaskCodecs {
    private TaskCodecs() {}

    public static byte[] handle(StateFileHandle h) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(h.scope().ordinal());
            out.writeUTF(h.name());
            out.writeLong(h.size());
            out.writeInt(h.crc32c());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array never fails
        }
    }

    /** A handle from its bytes; the constructor checks the name, so no path can reach outside the checkpoint. */
    public static StateFileHandle handle(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int scope = in.readUnsignedByte();
        if (scope >= StateFileHandle.Scope.values().length) {
            throw new IOException("unknown state file scope " + scope);
        }
        try {
            return new StateFileHandle(StateFileHandle.Scope.values()[scope], in.readUTF(), in.readLong(), in.readInt());
        } catch (IllegalArgumentException e) {
            throw new IOException("a malformed state file handle: " + e.getMessage(), e);
        }
    }
}
