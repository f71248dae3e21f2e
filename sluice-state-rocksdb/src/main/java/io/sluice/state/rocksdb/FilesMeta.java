package io.sluice.state.rocksdb;

import io.sluice.api.types.SerializerIdentity;
import io.sluice.runtime.state.snapshot.IdentityCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an incremental snapshot's files hold, besides the files: each column family's state (name, kind, namespaced,
 * TTL, serializers) and timer service (namespaced, serializers), so a restore opens the database with every column family and knows what its bytes mean
 * before the operator registers anything; and the timers restored from a full snapshot whose service has not been
 * registered since (they are not in any column family yet); and the processing time of the snapshot, since the files
 * still hold values whose time-to-live had run out by then, which a restore drops. Immutable.
 */
record FilesMeta(List<State> states, List<Timers> timers, Map<String, List<RocksSnapshotWriter.RawSegment>> rawTimers,
        long snapshotTime) {
    /** Version 2 added the serializers' identities; version 1 is still read (serializers then not known). */
    private static final int VERSION = 2;

    /** A state column; {@code serializers} empty when not known. */
    record State(String name, StateKind kind, boolean namespaced, boolean ttl, List<SerializerIdentity> serializers) {
        State {
            serializers = List.copyOf(serializers);
        }
    }

    /** A timer column; {@code serializers} empty when not known. */
    record Timers(String service, boolean namespaced, List<SerializerIdentity> serializers) {
        Timers {
            serializers = List.copyOf(serializers);
        }
    }

    FilesMeta {
        states = List.copyOf(states);
        timers = List.copyOf(timers);
        Map<String, List<RocksSnapshotWriter.RawSegment>> copy = new LinkedHashMap<>();
        rawTimers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        rawTimers = copy;
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            out.writeLong(snapshotTime);
            out.writeInt(states.size());
            for (State s : states) {
                out.writeUTF(s.name());
                out.writeByte(s.kind().ordinal());
                out.writeBoolean(s.namespaced());
                out.writeBoolean(s.ttl());
                IdentityCodec.write(s.serializers(), out);
            }
            out.writeInt(timers.size());
            for (Timers t : timers) {
                out.writeUTF(t.service());
                out.writeBoolean(t.namespaced());
                IdentityCodec.write(t.serializers(), out);
            }
            out.writeInt(rawTimers.size());
            for (Map.Entry<String, List<RocksSnapshotWriter.RawSegment>> e : rawTimers.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().size());
                for (RocksSnapshotWriter.RawSegment s : e.getValue()) {
                    out.writeInt(s.keyGroup());
                    out.writeInt(s.bytes().length);
                    out.write(s.bytes());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
    }

    static FilesMeta decode(byte[] meta) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(meta));
        int version = in.readInt();
        if (version != VERSION && version != 1) {
            throw new IOException("unknown RocksDB snapshot description version " + version);
        }
        long snapshotTime = in.readLong();
        List<State> states = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            String name = in.readUTF();
            int kind = in.readByte();
            if (kind < 0 || kind >= StateKind.values().length) {
                throw new IOException("unknown state kind " + kind + " of state '" + name + "'");
            }
            boolean namespaced = in.readBoolean();
            boolean ttl = in.readBoolean();
            states.add(new State(name, StateKind.values()[kind], namespaced, ttl, version == 1 ? List.of() : IdentityCodec.read(in)));
        }
        List<Timers> timers = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            String service = in.readUTF();
            boolean namespaced = in.readBoolean();
            timers.add(new Timers(service, namespaced, version == 1 ? List.of() : IdentityCodec.read(in)));
        }
        Map<String, List<RocksSnapshotWriter.RawSegment>> raw = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String name = in.readUTF();
            List<RocksSnapshotWriter.RawSegment> segments = new ArrayList<>();
            for (int j = in.readInt(); j > 0; j--) {
                int keyGroup = in.readInt();
                segments.add(new RocksSnapshotWriter.RawSegment(keyGroup, in.readNBytes(in.readInt())));
            }
            raw.put(name, segments);
        }
        return new FilesMeta(states, timers, raw, snapshotTime);
    }
}
