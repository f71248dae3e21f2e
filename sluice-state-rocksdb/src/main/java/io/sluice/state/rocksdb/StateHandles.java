package io.sluice.state.rocksdb;

import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.ReducingStateDescriptor;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.StateOwner;
import io.sluice.runtime.state.snapshot.SerializerCheck;
import io.sluice.runtime.state.snapshot.StateHeader;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Registers a state's handle with its backend: a new state gets a column; a restored one is checked against what the
 * job declares now (kind, namespace, serializers: a mismatch fails naming state, operator and both serializers) and
 * has its values rewritten if its TTL was switched on or off since the snapshot. Task thread, like the backend.
 */
final class StateHandles {
    private StateHandles() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    static AbstractRocksState register(RocksDbKeyedStateBackend backend, StateOwner owner, ColumnRegistry columns,
            StateDescriptor<?> descriptor, TypeSerializer<?> keySerializer, TypeSerializer<?> namespaceSerializer,
            long now) {
        StateKind kind = StateKind.of(descriptor);
        boolean namespaced = namespaceSerializer != null;
        boolean ttl = descriptor.ttl() != null;
        StateHeader declared = StateHeader.declared(descriptor, keySerializer, namespaceSerializer);
        StateColumn column = columns.state(descriptor.name());
        if (column == null) {
            column = columns.createState(new FilesMeta.State(descriptor.name(), kind, namespaced, ttl, declared.serializers()));
        } else {
            if (column.kind != kind || column.namespaced != namespaced) {
                throw new IllegalStateException(owner + ": state '" + descriptor.name() + "' was snapshotted as "
                        + (column.namespaced ? "namespaced " : "") + column.kind + " state, cannot restore it as "
                        + (namespaced ? "namespaced " : "") + kind + " state");
            }
            SerializerCheck.requireMatch(owner, column.header(), declared);
            column.serializers = declared.serializers();
            if (column.ttl != ttl) {
                convertTtl(backend, column, ttl, ttl ? now + descriptor.ttl().timeToLive().toMillis() : 0);
            }
        }
        return switch (descriptor) {
            case ValueStateDescriptor<?> d -> new RocksValueState<>(backend, column, d, namespaceSerializer);
            case ListStateDescriptor<?> d -> new RocksListState<>(backend, column, d, namespaceSerializer);
            case MapStateDescriptor<?, ?> d -> new RocksMapState<>(backend, column, d, namespaceSerializer);
            case ReducingStateDescriptor<?> d -> new RocksReducingState<>(backend, column, d, namespaceSerializer);
            case AggregatingStateDescriptor<?, ?, ?> d -> new RocksAggregatingState(backend, column, d, namespaceSerializer);
        };
    }

    /** Rewrites a restored state's values when its TTL was switched on or off since the snapshot. */
    private static void convertTtl(RocksDbKeyedStateBackend backend, StateColumn column, boolean ttl, long expiresAt) {
        // Runs before the column has a handle, so the cache holds nothing of it (the flush is for the other columns'
        // sake only: this iterates RocksDB).
        backend.flushWriteCache();
        try (RocksIterator it = backend.newIterator(column.handle); WriteBatch batch = new WriteBatch()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                batch.put(column.handle, it.key(), column.kind.convertTtl(it.value(), column.ttl, ttl, expiresAt));
            }
            backend.check(it);
            backend.write(batch);
        } catch (RocksDBException e) {
            throw RocksDbKeyedStateBackend.failure(e);
        }
        column.ttl = ttl;
    }
}
