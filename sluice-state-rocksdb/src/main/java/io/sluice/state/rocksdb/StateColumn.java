package io.sluice.state.rocksdb;

import org.rocksdb.ColumnFamilyHandle;

/**
 * One state's column family and what its bytes mean (kind, namespaced, TTL): known from the descriptor once the
 * operator registers the state, or from a snapshot before that.
 */
final class StateColumn {
    final String name;
    final ColumnFamilyHandle handle;
    final StateKind kind;
    final boolean namespaced;
    boolean ttl;

    StateColumn(String name, ColumnFamilyHandle handle, StateKind kind, boolean namespaced, boolean ttl) {
        this.name = name;
        this.handle = handle;
        this.kind = kind;
        this.namespaced = namespaced;
        this.ttl = ttl;
    }
}
