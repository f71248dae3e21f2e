package io.sluice.runtime.state.heap;

/**
 * A state entry's key when the state is scoped to a namespace other than the void one. Equality and hash are written
 * out: they run on every state access of windowed state, and a record's generated ones go through method handles.
 */
record NamespacedKey(Object key, Object namespace) {
    @Override
    public boolean equals(Object o) {
        return o instanceof NamespacedKey other && (key == other.key || key.equals(other.key))
                && (namespace == other.namespace || namespace.equals(other.namespace));
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + namespace.hashCode();
    }
}
