package io.sluice.state.rocksdb;

import io.sluice.api.aggregation.Aggregator;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.AggregatingStateDescriptor;
import io.sluice.api.types.TypeSerializer;
import java.util.Collection;

/** One accumulator per key (and namespace), deserialized, updated and written back on each add. */
final class RocksAggregatingState<IN, ACC, OUT> extends AbstractRocksState implements AggregatingState<IN, OUT>,
        io.sluice.runtime.state.InternalAppendingState {
    private final Aggregator<IN, ACC, OUT> aggregate;
    private final TypeSerializer<ACC> serializer;

    RocksAggregatingState(RocksDbKeyedStateBackend backend, StateColumn column, AggregatingStateDescriptor<IN, ACC, OUT> d,
            TypeSerializer<?> ns) {
        super(backend, column, d, ns);
        this.aggregate = d.aggregate();
        this.serializer = d.accumulatorSerializer();
    }

    @Override
    public OUT get() {
        byte[] unit = readUnit(key());
        return unit == null ? null : aggregate.getResult(decode(serializer, unit));
    }

    @Override
    public void add(IN value) {
        addAndTellIfNew(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean addAndTellIfNew(Object value) {
        byte[] key = key();
        byte[] stored = get(key);
        boolean created = stored == null || expired(stored);
        ACC acc = created ? aggregate.createAccumulator() : decode(serializer, stored);
        put(key, encode(serializer, aggregate.add((IN) value, acc)));
        return created;
    }

    @Override
    public Object accumulator() {
        byte[] unit = readUnit(key());
        return unit == null ? null : decode(serializer, unit);
    }

    @Override
    public void mergeNamespaces(Object target, Collection<?> sources) {
        ACC merged = null;
        for (Object source : sources) {
            byte[] key = keyIn(source);
            byte[] stored = get(key);
            if (stored != null) {
                delete(key);
                if (!expired(stored)) {
                    ACC acc = decode(serializer, stored);
                    merged = merged == null ? acc : aggregate.merge(merged, acc);
                }
            }
        }
        if (merged == null) {
            return;
        }
        byte[] key = keyIn(target);
        byte[] existing = get(key);
        ACC result = existing == null || expired(existing) ? merged : aggregate.merge(decode(serializer, existing), merged);
        put(key, encode(serializer, result));
    }
}
