package io.sluice.state.rocksdb;

import io.sluice.api.types.SerializerIdentity;
import io.sluice.runtime.state.snapshot.KeyedStateKind;
import io.sluice.runtime.state.snapshot.StateHeader;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;

/**
 * One state's column family and what its bytes mean (kind, namespaced, TTL, the identities of the serializers that
 * wrote them): known from the descriptor once the operator registers the state, or from a snapshot before that.
 */
final class StateColumn {
    final String name;
    final ColumnFamilyHandle handle;
    final StateKind kind;
    final boolean namespaced;
    boolean ttl;
    /** Empty when not known: restored from a snapshot that did not record them, and not registered since. */
    List<SerializerIdentity> serializers;

    StateColumn(String name, ColumnFamilyHandle handle, StateKind kind, boolean namespaced, boolean ttl,
            List<SerializerIdentity> serializers) {
        this.name = name;
        this.handle = handle;
        this.kind = kind;
        this.namespaced = namespaced;
        this.ttl = ttl;
        this.serializers = List.copyOf(serializers);
    }

    /** The column as the canonical format names a state. */
    StateHeader header() {
        return new StateHeader(name, KeyedStateKind.valueOf(kind.name()), namespaced, ttl, serializers);
    }

    /** The column as a snapshot's description records it. */
    FilesMeta.State meta() {
        return new FilesMeta.State(name, kind, namespaced, ttl, serializers);
    }
}
