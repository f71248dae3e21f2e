package io.sluice.state.rocksdb;

import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A list per key (and namespace) in one RocksDB value: a concatenation of self-delimiting units (see
 * {@link StateKind}). Appends are RocksDB merges: the column's merge operator concatenates with no delimiter, so an
 * append writes only the new units and never reads the list; RocksDB joins them when the list is read or compacted.
 * Under TTL each unit carries its own expiry, so merged units expire one by one. Task thread only.
 */
final class RocksListState<T> extends AbstractRocksState implements ListState<T> {
    private final TypeSerializer<T> serializer;

    RocksListState(RocksDbKeyedStateBackend backend, StateColumn column, ListStateDescriptor<T> d, TypeSerializer<?> ns) {
        super(backend, column, d, ns);
        this.serializer = d.elementSerializer();
    }

    @Override
    public List<T> get() {
        byte[] key = key();
        byte[] stored = get(key);
        List<T> out = new ArrayList<>();
        if (stored == null) {
            return out;
        }
        long now = now();
        ByteArrayOutputStream rewritten = ttl ? new ByteArrayOutputStream(stored.length) : null;
        boolean anyExpired = false;
        int h = header();
        for (int off = 0; off < stored.length; ) {
            int length = Bytes.getInt(stored, off + h);
            int unitLength = h + 4 + length;
            if (ttl && now >= Bytes.getLong(stored, off)) {
                anyExpired = true;
            } else {
                out.add(Bytes.deserialize(serializer, stored, off + h + 4, length));
                if (ttl) {
                    if (renewsOnRead()) {
                        byte[] unit = java.util.Arrays.copyOfRange(stored, off, off + unitLength);
                        Bytes.putLong(unit, 0, freshExpiry());
                        rewritten.writeBytes(unit);
                    } else {
                        rewritten.write(stored, off, unitLength); // keeps its expiry: reading does not renew
                    }
                }
            }
            off += unitLength;
        }
        if (ttl) {
            if (out.isEmpty()) {
                delete(key);
            } else if (anyExpired || renewsOnRead()) {
                put(key, rewritten.toByteArray());
            }
        }
        return out;
    }

    private byte[] units(List<T> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long expiresAt = ttl ? freshExpiry() : 0;
        int h = header();
        for (T v : values) {
            byte[] unit = Bytes.serializeAfter(h + 4, serializer, Objects.requireNonNull(v, "list state elements must not be null"));
            if (ttl) {
                Bytes.putLong(unit, 0, expiresAt);
            }
            Bytes.putInt(unit, h, unit.length - h - 4);
            out.writeBytes(unit);
        }
        return out.toByteArray();
    }

    @Override
    public void add(T value) {
        append(key(), units(List.of(Objects.requireNonNull(value, "list state elements must not be null"))));
    }

    @Override
    public void addAll(List<T> values) {
        if (!values.isEmpty()) {
            append(key(), units(values));
        }
    }

    private void append(byte[] key, byte[] units) {
        backend.merge(cf, key, units);
    }

    @Override
    public void update(List<T> values) {
        byte[] key = key();
        if (values.isEmpty()) {
            delete(key);
        } else {
            put(key, units(values));
        }
    }

    /** Moves the sources' units behind the target's, in the order of {@code sources}, in one write. */
    @Override
    public void mergeNamespaces(Object target, Collection<?> sources) {
        try (WriteBatch batch = new WriteBatch()) {
            byte[] targetKey = keyIn(target);
            Set<ByteBuffer> seen = new HashSet<>(); // a source named twice moves once, as before the batch is written
            for (Object source : sources) {
                byte[] key = keyIn(source);
                if (!seen.add(ByteBuffer.wrap(key))) {
                    continue;
                }
                byte[] stored = get(key);
                if (stored != null) {
                    batch.delete(cf, key);
                    batch.merge(cf, targetKey, stored);
                }
            }
            if (batch.count() > 0) {
                backend.write(batch);
            }
        } catch (RocksDBException e) {
            throw RocksDbKeyedStateBackend.failure(e);
        }
    }
}
