package io.sluice.state.rocksdb;

import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A map per key (and namespace), one RocksDB entry per map entry: the state key followed by the serialized map key.
 * Iteration is a prefix scan; entries come in the order of their serialized keys.
 */
final class RocksMapState<K, V> extends AbstractRocksState implements MapState<K, V> {
    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<V> valueSerializer;

    RocksMapState(RocksDbKeyedStateBackend backend, StateColumn column, MapStateDescriptor<K, V> d, TypeSerializer<?> ns) {
        super(backend, column, d, ns);
        this.keySerializer = d.keySerializer();
        this.valueSerializer = d.valueSerializer();
    }

    private byte[] entryKey(K userKey) {
        return Bytes.concat(key(), Bytes.serialize(keySerializer, userKey));
    }

    @Override
    public V get(K userKey) {
        byte[] unit = readUnit(entryKey(userKey));
        return unit == null ? null : decode(valueSerializer, unit);
    }

    @Override
    public void put(K userKey, V value) {
        Objects.requireNonNull(userKey, "map state keys must not be null");
        Objects.requireNonNull(value, "map state values must not be null");
        put(entryKey(userKey), encode(valueSerializer, value));
    }

    @Override
    public void putAll(Map<K, V> entries) {
        if (entries.isEmpty()) {
            return;
        }
        byte[] prefix = key();
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<K, V> e : entries.entrySet()) {
                K k = Objects.requireNonNull(e.getKey(), "map state keys must not be null");
                V v = Objects.requireNonNull(e.getValue(), "map state values must not be null");
                batch.put(cf, Bytes.concat(prefix, Bytes.serialize(keySerializer, k)), encode(valueSerializer, v));
            }
            backend.write(batch);
        } catch (RocksDBException e) {
            throw RocksDbKeyedStateBackend.failure(e);
        }
    }

    @Override
    public void remove(K userKey) {
        delete(entryKey(userKey));
    }

    @Override
    public boolean contains(K userKey) {
        return get(userKey) != null;
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries() {
        byte[] prefix = key();
        List<byte[][]> stored = scan(prefix);
        List<Map.Entry<K, V>> live = new ArrayList<>(stored.size());
        if (stored.isEmpty()) {
            return live;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (byte[][] e : stored) {
                if (expired(e[1])) {
                    batch.delete(cf, e[0]);
                    continue;
                }
                K k = Bytes.deserialize(keySerializer, e[0], prefix.length, e[0].length - prefix.length);
                live.add(new AbstractMap.SimpleImmutableEntry<>(k, decode(valueSerializer, e[1])));
                if (ttl && renewsOnRead()) {
                    batch.put(cf, e[0], renewed(e[1]));
                }
            }
            if (batch.count() > 0) {
                backend.write(batch);
            }
        } catch (RocksDBException e) {
            throw RocksDbKeyedStateBackend.failure(e);
        }
        return live;
    }

    @Override
    public Iterable<K> keys() {
        List<K> keys = new ArrayList<>();
        entries().forEach(e -> keys.add(e.getKey()));
        return keys;
    }

    @Override
    public Iterable<V> values() {
        List<V> values = new ArrayList<>();
        entries().forEach(e -> values.add(e.getValue()));
        return values;
    }

    @Override
    public boolean isEmpty() {
        return !entries().iterator().hasNext();
    }

    @Override
    public void clear() {
        deletePrefix(key());
    }

    @Override
    public void mergeNamespaces(Object target, Collection<?> sources) {
        List<byte[][]> moved = new ArrayList<>(); // {map key suffix, stored unit}, later sources win
        for (Object source : sources) {
            byte[] prefix = keyIn(source);
            for (byte[][] e : deletePrefix(prefix)) {
                moved.add(new byte[][] {java.util.Arrays.copyOfRange(e[0], prefix.length, e[0].length), e[1]});
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        byte[] targetPrefix = keyIn(target);
        try (WriteBatch batch = new WriteBatch()) {
            for (byte[][] e : moved) {
                batch.put(cf, Bytes.concat(targetPrefix, e[0]), e[1]);
            }
            backend.write(batch);
        } catch (RocksDBException e) {
            throw RocksDbKeyedStateBackend.failure(e);
        }
    }
}
