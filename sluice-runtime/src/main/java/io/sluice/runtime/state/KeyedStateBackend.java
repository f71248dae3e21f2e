package io.sluice.runtime.state;

import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;

/**
 * Keyed state of one operator in one subtask, stored by key group. The operator sets the current key before it
 * calls user code; state handles read and write the current key's entry. Task thread only.
 *
 * <p>This is the seam for the RocksDB backend and for snapshots: user code sees only the state interfaces of the
 * API, never the backend.
 */
public interface KeyedStateBackend extends AutoCloseable {

    /** Makes {@code key} the current key; its key group must lie in this subtask's range. */
    void setCurrentKey(Object key);

    Object currentKey();

    /** The state named by {@code descriptor}, created on first use; the same handle for the same name. */
    <T> ValueState<T> valueState(ValueStateDescriptor<T> descriptor);

    @Override
    default void close() {}
}
