package io.sluice.runtime.state.heap;

/** A state entry's key when the state is scoped to a namespace other than the void one. */
record NamespacedKey(Object key, Object namespace) {}
