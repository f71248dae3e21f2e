package io.sluice.runtime.state.heap;

import io.sluice.api.aggregation.Aggregator;
import io.sluice.api.state.AggregatingState;
import io.sluice.api.state.AggregatingStateDescriptor;
import java.util.Collection;

/**
 * One accumulator per key (and namespace). The aggregate function may mutate the accumulator, and its result may be
 * the accumulator (or share parts of it), so an accumulator a pending snapshot still shares is deep-copied (through
 * its serializer) before it is handed to {@code add}, {@code merge} or {@code getResult}.
 */
final class HeapAggregatingState<IN, ACC, OUT> extends AbstractHeapState implements AggregatingState<IN, OUT>,
        io.sluice.runtime.state.InternalAppendingState {
    private final Aggregator<IN, ACC, OUT> aggregate;

    @SuppressWarnings("unchecked")
    HeapAggregatingState(HeapKeyedStateBackend backend, RegisteredState registration) {
        super(backend, registration);
        AggregatingStateDescriptor<IN, ACC, OUT> d = (AggregatingStateDescriptor<IN, ACC, OUT>) registration.descriptor;
        this.aggregate = d.aggregate();
    }

    @Override
    @SuppressWarnings("unchecked")
    public OUT get() {
        Object accumulator = readLiveValue(true);
        return accumulator == null ? null : aggregate.getResult((ACC) accumulator);
    }

    @Override
    public void add(IN value) {
        addAndTellIfNew(value);
    }

    @Override
    public Object accumulator() {
        return readLiveValue(false); // read only: no copy
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean addAndTellIfNew(Object value) {
        StateTable t = table();
        int slot = slot(t);
        ACC acc = slot >= 0 ? privateAccumulator(t, slot) : null;
        boolean created = acc == null;
        if (created) {
            acc = aggregate.createAccumulator();
        }
        ACC next = aggregate.add((IN) value, acc);
        if (slot >= 0) {
            t.setValueAt(slot, wrap(next));
        } else {
            insert(t, slot, wrap(next));
        }
        return created;
    }

    /** The accumulator at {@code slot}, safe to mutate; {@code null} if it expired. */
    @SuppressWarnings("unchecked")
    private ACC privateAccumulator(StateTable t, int slot) {
        return expiredAt(t, slot) ? null : (ACC) unwrap(changeableValue(t, slot));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void mergeNamespaces(Object target, Collection<?> sources) throws Exception {
        StateTable t = table();
        ACC merged = null;
        for (Object source : sources) {
            ACC acc = (ACC) takeLiveValue(t, source);
            if (acc != null) {
                merged = merged == null ? acc : aggregate.merge(merged, acc);
            }
        }
        if (merged == null) {
            return;
        }
        int slot = slotIn(t, target);
        if (slot >= 0) {
            ACC existing = privateAccumulator(t, slot);
            t.setValueAt(slot, wrap(existing == null ? merged : aggregate.merge(existing, merged)));
        } else {
            t.insert(slot, entryKey(target), entryHash(target), wrap(merged));
        }
    }
}
