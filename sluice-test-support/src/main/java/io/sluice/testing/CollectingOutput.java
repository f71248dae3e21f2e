package io.sluice.testing;

import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.Output;
import io.sluice.runtime.operator.RecordTarget;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's end of an operator's {@link Output}: remembers every record of the main output and of each side
 * output (with timestamps), and every watermark, in order. Side outputs need not be declared: a target is created
 * for any tag the operator emits to. Single-threaded, like the operator.
 */
final class CollectingOutput {

    /** Records of one output, in emission order. */
    static final class Records implements RecordTarget {
        final List<Timestamped<Object>> records = new ArrayList<>();
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void accept(Object record, long timestamp) {
            records.add(new Timestamped<>(record, timestamp));
        }

        @Override
        public void acceptWatermark(long watermark) {
            watermarks.add(watermark);
        }
    }

    /**
     * The side-output targets by tag id. {@link Output} looks a tag up when the operator emits to it; this map answers
     * every lookup, creating a collecting target on first use, so the harness need not know the tags in advance.
     */
    private static final class SideTargets extends AbstractMap<String, RecordTarget[]> {
        final Map<String, Records> byId = new LinkedHashMap<>();

        @Override
        public RecordTarget[] get(Object id) {
            return new RecordTarget[] {byId.computeIfAbsent((String) id, i -> new Records())};
        }

        @Override
        public RecordTarget[] getOrDefault(Object id, RecordTarget[] ignored) {
            return get(id);
        }

        @Override
        public Set<Entry<String, RecordTarget[]>> entrySet() {
            Map<String, RecordTarget[]> view = new LinkedHashMap<>();
            byId.forEach((id, r) -> view.put(id, new RecordTarget[] {r}));
            return view.entrySet();
        }
    }

    final Records main = new Records();
    private final SideTargets sides = new SideTargets();
    final OperatorCounters counters = new OperatorCounters();
    /** Watermarks go to every target; the main one stands for all (side targets' copies are not kept). */
    final Output output = new Output(new RecordTarget[] {main}, sides, new RecordTarget[] {main}, counters);

    /** What was emitted to the side output {@code id}; empty if nothing. */
    List<Timestamped<Object>> side(String id) {
        Records r = sides.byId.get(id);
        return r == null ? List.of() : r.records;
    }

    void clear() {
        main.records.clear();
        main.watermarks.clear();
        sides.byId.values().forEach(r -> r.records.clear());
    }
}
