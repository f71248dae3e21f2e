package io.sluice.runtime.operator;

import io.sluice.api.types.Types;

import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.timer.ManualProcessingTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires one operator to collecting fake targets, so operator tests can drive {@code open / processRecord /
 * processWatermark / endInput / close} directly and look at exactly what was emitted, with which timestamp, and
 * where (main output or a named side output).
 */
final class OperatorFixture {

    /** What a target received: a record with its timestamp, or a watermark. */
    sealed interface Event {}

    record Rec(Object value, long timestamp) implements Event {}

    record Wm(long watermark) implements Event {}

    /** A {@link RecordTarget} that remembers everything it was given, in order. */
    static final class CollectingTarget implements RecordTarget {
        final List<Event> events = new ArrayList<>();

        @Override
        public void accept(Object record, long timestamp) {
            events.add(new Rec(record, timestamp));
        }

        @Override
        public void acceptWatermark(long watermark) {
            events.add(new Wm(watermark));
        }

        /** The records received, in order, without timestamps. */
        List<Object> values() {
            return events.stream().filter(e -> e instanceof Rec).map(e -> ((Rec) e).value()).toList();
        }

        List<Rec> records() {
            return events.stream().filter(e -> e instanceof Rec).map(e -> (Rec) e).toList();
        }

        List<Long> watermarks() {
            return events.stream().filter(e -> e instanceof Wm).map(e -> ((Wm) e).watermark()).toList();
        }

        void clear() {
            events.clear();
        }
    }

    static final String NAME = "UnderTest";
    static final int SUBTASK = 0;
    static final int PARALLELISM = 1;
    static final int MAX_PARALLELISM = 128;

    final CollectingTarget main = new CollectingTarget();
    final Map<String, CollectingTarget> sides = new LinkedHashMap<>();
    final OperatorCounters counters = new OperatorCounters();
    final Output output;
    final OperatorSetup setup;
    final HeapKeyedStateBackend backend;
    /** The operators' processing-time clock, moved by the test. */
    final ManualProcessingTime clock = new ManualProcessingTime(0);

    private OperatorFixture(boolean keyed, String... sideOutputIds) {
        Map<String, RecordTarget[]> sideTargets = new HashMap<>();
        List<RecordTarget> all = new ArrayList<>();
        all.add(main);
        for (String id : sideOutputIds) {
            CollectingTarget t = new CollectingTarget();
            sides.put(id, t);
            sideTargets.put(id, new RecordTarget[] {t});
            all.add(t);
        }
        output = new Output(new RecordTarget[] {main}, sideTargets, all.toArray(RecordTarget[]::new), counters);
        backend = keyed ? new HeapKeyedStateBackend(KeyGroupRange.of(SUBTASK, PARALLELISM, MAX_PARALLELISM), MAX_PARALLELISM, Types.STRING, clock::currentTime) : null;
        setup = new OperatorSetup(NAME, SUBTASK, PARALLELISM, MAX_PARALLELISM, output, backend, new OperatorStateStore(), clock);
    }

    /** A non-keyed operator's setup with the given side outputs (by tag id). */
    static OperatorFixture plain(String... sideOutputIds) {
        return new OperatorFixture(false, sideOutputIds);
    }

    /** A keyed operator's setup: a heap backend owning all 128 key groups. */
    static OperatorFixture keyed(String... sideOutputIds) {
        return new OperatorFixture(true, sideOutputIds);
    }

    CollectingTarget side(String id) {
        return sides.get(id);
    }
}
