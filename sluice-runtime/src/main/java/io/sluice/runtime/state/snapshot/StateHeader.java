package io.sluice.runtime.state.snapshot;

import io.sluice.api.state.StateDescriptor;
import io.sluice.api.types.SerializerIdentity;
import io.sluice.api.types.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A keyed state as a canonical section names it: name, kind, whether its entries are namespaced and carry expiry
 * times (TTL), and its serializers' identities. Immutable.
 */
public record StateHeader(String name, KeyedStateKind kind, boolean namespaced, boolean ttl,
        List<SerializerIdentity> serializers) implements SectionHeader {

    public StateHeader {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(kind, "kind");
        serializers = SectionHeader.checkCount(serializers, roles(kind, namespaced), "state '" + name + "'");
    }

    /**
     * The header of state {@code d} as a job declares it: the identities of the key serializer, of
     * {@code namespaceSerializer} (or none: not namespaced) and of the descriptor's serializers. Registration time,
     * never per record: record identities are built by walking the type.
     */
    public static StateHeader declared(StateDescriptor<?> d, TypeSerializer<?> keySerializer, TypeSerializer<?> namespaceSerializer) {
        KeyedStateKind kind = KeyedStateKind.of(d);
        List<SerializerIdentity> ids = new ArrayList<>(4);
        ids.add(keySerializer.identity());
        if (namespaceSerializer != null) {
            ids.add(namespaceSerializer.identity());
        }
        for (TypeSerializer<?> s : KeyedStateKind.valueSerializers(d)) {
            ids.add(s.identity());
        }
        return new StateHeader(d.name(), kind, namespaceSerializer != null, d.ttl() != null, ids);
    }

    /** The same state with entries that do (not) carry expiry times. */
    public StateHeader withTtl(boolean withTtl) {
        return new StateHeader(name, kind, namespaced, withTtl, serializers);
    }

    @Override
    public List<String> roles() {
        return roles(kind, namespaced);
    }

    private static List<String> roles(KeyedStateKind kind, boolean namespaced) {
        List<String> roles = new ArrayList<>(4);
        roles.add("keys");
        if (namespaced) {
            roles.add("namespaces");
        }
        roles.addAll(kind.valueRoles());
        return roles;
    }

    @Override
    public String describe() {
        return "state '" + name + "'";
    }

    void write(DataOutput out) throws IOException {
        out.writeUTF(name);
        out.writeByte(kind.code());
        out.writeBoolean(namespaced);
        out.writeBoolean(ttl);
        IdentityCodec.write(serializers, out);
    }

    static StateHeader read(DataInput in) throws IOException {
        String name = in.readUTF();
        KeyedStateKind kind = KeyedStateKind.ofCode(in.readByte());
        boolean namespaced = in.readBoolean();
        boolean ttl = in.readBoolean();
        List<SerializerIdentity> serializers = IdentityCodec.read(in);
        try {
            return new StateHeader(name, kind, namespaced, ttl, serializers);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
