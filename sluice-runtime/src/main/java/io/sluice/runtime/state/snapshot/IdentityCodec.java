package io.sluice.runtime.state.snapshot;

import io.sluice.api.types.SerializerIdentity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads lists of serializer identities: {@code count:byte (idLength:int idUtf8 version:int)*}. Ids are
 * length-prefixed rather than {@code writeUTF}'d, since a deeply nested record's id may pass 64 KiB. Also used by
 * backends' own snapshot descriptions.
 */
public final class IdentityCodec {
    /** Identities per list at most: a state has up to four serializers. */
    private static final int MAX_COUNT = 255;
    private static final int MAX_ID_BYTES = 16 << 20;

    private IdentityCodec() {}

    public static void write(List<SerializerIdentity> identities, DataOutput out) throws IOException {
        if (identities.size() > MAX_COUNT) {
            throw new IllegalArgumentException("too many serializer identities: " + identities.size());
        }
        out.writeByte(identities.size());
        for (SerializerIdentity identity : identities) {
            byte[] id = identity.id().getBytes(StandardCharsets.UTF_8);
            out.writeInt(id.length);
            out.write(id);
            out.writeInt(identity.version());
        }
    }

    public static List<SerializerIdentity> read(DataInput in) throws IOException {
        int count = in.readUnsignedByte();
        List<SerializerIdentity> identities = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length <= 0 || length > MAX_ID_BYTES) {
                throw new IOException("bad serializer identity length " + length);
            }
            byte[] id = new byte[length];
            in.readFully(id);
            int version = in.readInt();
            try {
                identities.add(new SerializerIdentity(new String(id, StandardCharsets.UTF_8), version));
            } catch (IllegalArgumentException e) {
                throw new IOException("bad serializer identity: " + e.getMessage(), e);
            }
        }
        return List.copyOf(identities);
    }
}
