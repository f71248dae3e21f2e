package io.sluice.state.rocksdb;

import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.InternalKeyedState;
import io.sluice.runtime.state.VoidNamespace;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * What every RocksDB state handle shares: the RocksDB key of the current key and namespace
 * ({@code [key group: 2][key][namespace]}), reads and writes in its column family, and time-to-live bookkeeping
 * (the expiry is the first 8 bytes of a stored unit, see {@link StateKind}). Task thread only.
 */
abstract class AbstractRocksState implements State, InternalKeyedState {
    protected final RocksDbKeyedStateBackend backend;
    protected final StateColumn column;
    protected final ColumnFamilyHandle cf;
    /** For point-access kinds, when the backend has one; else {@code null}: straight to RocksDB. */
    private final WriteBackCache cache;
    protected final StateDescriptor<?> descriptor;
    protected final TypeSerializer<?> namespaceSerializer;
    protected final boolean ttl;
    private final long ttlMillis;
    private final boolean renewOnRead;
    /** {@code null} until set, for namespaced states: using one before setting a namespace is a bug. */
    private Object namespace;
    private byte[] namespaceBytes;

    AbstractRocksState(RocksDbKeyedStateBackend backend, StateColumn column, StateDescriptor<?> descriptor,
            TypeSerializer<?> namespaceSerializer) {
        this.backend = backend;
        this.column = column;
        this.cf = column.handle;
        this.cache = backend.writeCacheFor(column.kind);
        this.descriptor = descriptor;
        this.namespaceSerializer = namespaceSerializer;
        StateTtlConfig config = descriptor.ttl();
        this.ttl = config != null;
        this.ttlMillis = config != null ? config.timeToLive().toMillis() : 0;
        this.renewOnRead = config != null && config.updateType() == StateTtlConfig.UpdateType.ON_READ_AND_WRITE;
        if (namespaceSerializer == null) {
            namespace = VoidNamespace.INSTANCE;
            namespaceBytes = Bytes.EMPTY;
        }
    }

    @Override
    public void setCurrentNamespace(Object namespace) {
        if (namespace == this.namespace) {
            return;
        }
        if (namespace == VoidNamespace.INSTANCE && namespaceSerializer == null) {
            namespaceBytes = Bytes.EMPTY;
        } else if (namespaceSerializer == null) {
            throw new IllegalArgumentException("state '" + column.name + "' has no namespace serializer; it was not "
                    + "registered as namespaced state, so it cannot be scoped to " + namespace);
        } else {
            namespaceBytes = Bytes.serialize(namespaceSerializer, namespace);
        }
        this.namespace = namespace;
    }

    protected Object namespace() {
        return namespace;
    }

    /** The RocksDB key of the current key in the current namespace. */
    protected byte[] key() {
        if (namespace == null) {
            throw new IllegalStateException("namespaced state '" + column.name + "' used before setCurrentNamespace");
        }
        return Bytes.concat(backend.currentKeyBytes(), namespaceBytes);
    }

    /** The RocksDB key of the current key in {@code ns} (merging). */
    protected byte[] keyIn(Object ns) {
        byte[] nsBytes = namespaceSerializer == null ? Bytes.EMPTY : Bytes.serialize(namespaceSerializer, ns);
        return Bytes.concat(backend.currentKeyBytes(), nsBytes);
    }

    // ---- RocksDB access ----

    protected byte[] get(byte[] key) {
        return cache != null ? cache.get(cf, key) : backend.get(cf, key);
    }

    /** Stores {@code value} at {@code key}; both arrays are the caller's to give away (the cache keeps them). */
    protected void put(byte[] key, byte[] value) {
        if (cache != null) {
            cache.put(cf, key, value);
        } else {
            backend.put(cf, key, value);
        }
    }

    protected void delete(byte[] key) {
        if (cache != null) {
            cache.delete(cf, key);
        } else {
            backend.delete(cf, key);
        }
    }

    /** Keys and values of every entry whose key starts with {@code prefix} (map state), in key order. */
    protected List<byte[][]> scan(byte[] prefix) {
        List<byte[][]> entries = new java.util.ArrayList<>();
        try (RocksIterator it = backend.newIterator(cf)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                entries.add(new byte[][] {k, it.value()});
            }
            backend.check(it);
        }
        return entries;
    }

    /** Deletes every entry under {@code prefix}; returns the deleted entries. */
    protected List<byte[][]> deletePrefix(byte[] prefix) {
        List<byte[][]> entries = scan(prefix);
        if (!entries.isEmpty()) {
            try (WriteBatch batch = new WriteBatch()) {
                for (byte[][] e : entries) {
                    batch.delete(cf, e[0]);
                }
                backend.write(batch);
            } catch (org.rocksdb.RocksDBException e) {
                throw RocksDbKeyedStateBackend.failure(e);
            }
        }
        return entries;
    }

    // ---- time to live (single units: value, reducing, aggregating, map values) ----

    protected long now() {
        return backend.currentTime();
    }

    protected int header() {
        return ttl ? 8 : 0;
    }

    /** A unit holding {@code value}, with a fresh expiry under TTL. */
    protected byte[] encode(TypeSerializer<?> serializer, Object value) {
        byte[] bytes = Bytes.serializeAfter(header(), serializer, value);
        if (ttl) {
            Bytes.putLong(bytes, 0, now() + ttlMillis);
        }
        return bytes;
    }

    protected <T> T decode(TypeSerializer<?> serializer, byte[] unit) {
        int h = header();
        return Bytes.deserialize(serializer, unit, h, unit.length - h);
    }

    protected boolean expired(byte[] unit) {
        return ttl && now() >= Bytes.getLong(unit, 0);
    }

    protected long freshExpiry() {
        return now() + ttlMillis;
    }

    protected boolean renewsOnRead() {
        return renewOnRead;
    }

    /** A copy of a single unit with a fresh expiry. */
    protected byte[] renewed(byte[] unit) {
        byte[] copy = Arrays.copyOf(unit, unit.length);
        Bytes.putLong(copy, 0, freshExpiry());
        return copy;
    }

    /** Reads a single unit at {@code key}, applying TTL: expired units are deleted, read-renewal rewrites. */
    protected byte[] readUnit(byte[] key) {
        byte[] unit = get(key);
        if (unit == null) {
            return null;
        }
        if (expired(unit)) {
            delete(key);
            return null;
        }
        if (renewOnRead) {
            put(key, renewed(unit));
        }
        return unit;
    }

    @Override
    public void clear() {
        delete(key());
    }

    @Override
    public void mergeNamespaces(Object target, Collection<?> sources) throws Exception {
        throw new UnsupportedOperationException("state '" + column.name + "' of kind " + column.kind
                + " cannot be merged; use list, reducing, aggregating or map state in merging windows");
    }
}
