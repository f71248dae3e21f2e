package io.sluice.state.rocksdb;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Restores one key group's block of a full snapshot in this backend's format from before the canonical one
 * ({@link SnapshotFormat}) into a backend: state segments are
 * written into their column families (created as the segment describes them), timer segments are kept until their
 * timer service is registered (decoding them needs its namespace serializer). Task thread, before any state is used.
 */
final class KeyGroupBlockRestore {
    private final RocksDbKeyedStateBackend backend;

    KeyGroupBlockRestore(RocksDbKeyedStateBackend backend) {
        this.backend = backend;
    }

    void restore(int keyGroup, byte[] block) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(block));
        int segments = in.readInt();
        byte[] prefix = {(byte) (keyGroup >>> 8), (byte) keyGroup};
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < segments; i++) {
                byte type = in.readByte();
                String name = in.readUTF();
                byte[] content = in.readNBytes(in.readInt());
                if (type == SnapshotFormat.TIMERS) {
                    backend.addRestoredTimers(name, new RocksSnapshotWriter.RawSegment(keyGroup, content));
                    continue;
                }
                if (type != SnapshotFormat.STATE) {
                    throw new IOException("unknown segment type " + type + " in key group " + keyGroup);
                }
                DataInputStream s = new DataInputStream(new ByteArrayInputStream(content));
                StateKind kind = StateKind.values()[s.readByte()];
                boolean namespaced = s.readBoolean();
                boolean ttl = s.readBoolean();
                // This older format recorded no serializers: the state is not checked when registered.
                StateColumn column = backend.columns().stateFor(new FilesMeta.State(name, kind, namespaced, ttl, List.of()));
                int count = s.readInt();
                for (int e = 0; e < count; e++) {
                    byte[] key = Bytes.concat(prefix, s.readNBytes(s.readInt()));
                    byte[] value = s.readNBytes(s.readInt());
                    batch.put(column.handle, key, value);
                }
            }
            backend.write(batch);
        } catch (RocksDBException e) {
            throw new IOException("cannot restore key group " + keyGroup + ": " + e.getMessage(), e);
        }
    }
}
