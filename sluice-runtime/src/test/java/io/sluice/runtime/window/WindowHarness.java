package io.sluice.runtime.window;

import io.sluice.api.DataStream;
import io.sluice.api.KeyedStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.graph.StreamNode;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.TimeWindow;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.Output;
import io.sluice.runtime.operator.RecordTarget;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.timer.ManualProcessingTime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Drives one {@link WindowOperator} directly: records with timestamps, watermarks and a manual processing-time clock
 * in; main output, side outputs and state sizes out; snapshot and restore into a fresh operator in the middle. The
 * operator's spec is built through the public API (so the API's typing is exercised too) and copied through Java
 * serialization, as the runtime does per subtask.
 */
final class WindowHarness {

    /** The test records: a key and a value. */
    record E(String key, long value) {}

    /** An emitted record with its timestamp. */
    record Rec(Object value, long timestamp) {}

    /** A watermark passed on, in the main output's log. */
    record Wm(long watermark) {}

    static final int MAX_PARALLELISM = 128;

    /** Builds a window spec by applying {@code define} to a keyed stream of {@link E} keyed by {@link E#key}. */
    static OperatorSpec.WindowSpec spec(Function<KeyedStream<String, E>, DataStream<?>> define) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        KeyedStream<String, E> keyed = env.fromCollection(List.of(new E("a", 0)), Types.of(E.class)).keyBy(E::key, Types.STRING);
        define.apply(keyed);
        return (OperatorSpec.WindowSpec) env.buildJobGraph("spec").nodes().stream().map(StreamNode::spec)
                .filter(s -> s instanceof OperatorSpec.WindowSpec).findFirst().orElseThrow();
    }

    private static final class Collecting implements RecordTarget {
        final List<Rec> records = new ArrayList<>();
        final List<Long> watermarks = new ArrayList<>();
        /** Records and watermarks in the order they came. */
        final List<Object> log = new ArrayList<>();

        @Override
        public void accept(Object record, long timestamp) {
            records.add(new Rec(record, timestamp));
            log.add(new Rec(record, timestamp));
        }

        @Override
        public void acceptWatermark(long watermark) {
            watermarks.add(watermark);
            log.add(new Wm(watermark));
        }
    }

    private final OperatorSpec.WindowSpec spec;
    private final String[] sideIds;
    private final Collecting main = new Collecting();
    private final Map<String, Collecting> sides = new HashMap<>();
    final OperatorCounters counters = new OperatorCounters();
    final ManualProcessingTime clock;
    final HeapKeyedStateBackend backend;
    final WindowOperator<String, E, ?> operator;

    WindowHarness(OperatorSpec.WindowSpec spec, String... sideIds) throws Exception {
        this(spec, List.of(), 0, sideIds);
    }

    private WindowHarness(OperatorSpec.WindowSpec spec, List<KeyedStateSnapshot> restoreFrom, long clockStart,
            String... sideIds) throws Exception {
        this.spec = spec;
        this.sideIds = sideIds;
        this.clock = new ManualProcessingTime(clockStart);
        Map<String, RecordTarget[]> sideTargets = new HashMap<>();
        List<RecordTarget> all = new ArrayList<>(List.of(main));
        for (String id : sideIds) {
            Collecting c = new Collecting();
            sides.put(id, c);
            sideTargets.put(id, new RecordTarget[] {c});
            all.add(c);
        }
        Output output = new Output(new RecordTarget[] {main}, sideTargets, all.toArray(RecordTarget[]::new), counters);
        backend = new HeapKeyedStateBackend(KeyGroupRange.of(0, 1, MAX_PARALLELISM), MAX_PARALLELISM, Types.STRING,
                clock::currentTime);
        backend.restore(restoreFrom);
        operator = new WindowOperator<>(copy(spec));
        operator.open(new OperatorSetup("Window", 0, 1, MAX_PARALLELISM, output, backend, new OperatorStateStore(), clock));
    }

    private static OperatorSpec.WindowSpec copy(OperatorSpec.WindowSpec spec) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (OperatorSpec.WindowSpec) in.readObject();
        }
    }

    WindowHarness record(String key, long value, long timestamp) throws Exception {
        operator.processRecord(new E(key, value), timestamp);
        return this;
    }

    WindowHarness watermark(long wm) throws Exception {
        operator.processWatermark(wm);
        return this;
    }

    /** Moves the processing-time clock, running due timers. */
    WindowHarness clockTo(long time) throws Exception {
        clock.advanceTo(time);
        return this;
    }

    List<Rec> output() {
        return List.copyOf(main.records);
    }

    List<Object> values() {
        return main.records.stream().map(Rec::value).toList();
    }

    /** Takes and forgets what was emitted so far. */
    List<Object> takeValues() {
        List<Object> v = values();
        main.records.clear();
        return v;
    }

    /** The main output's records and watermarks, in order. */
    List<Object> log() {
        return List.copyOf(main.log);
    }

    List<Long> watermarks() {
        return List.copyOf(main.watermarks);
    }

    List<Rec> side(String id) {
        return List.copyOf(sides.get(id).records);
    }

    /** State entries and timers still held: zero once every window was cleaned up. */
    int contentsEntries() {
        return backend.entryCount(WindowOperator.CONTENTS_STATE);
    }

    /** Keys with in-flight merging windows. */
    int mergingSetEntries() {
        return backend.entryCount(WindowOperator.MERGING_SET_STATE);
    }

    /** The in-flight merging windows of {@code key} (sessions). */
    int inFlightWindows(String key) {
        backend.setCurrentKey(key);
        java.util.Map<TimeWindow, TimeWindow> set = backend.getState(new io.sluice.api.state.ValueStateDescriptor<>(
                WindowOperator.MERGING_SET_STATE, io.sluice.api.types.Types.map(TimeWindow.serializer(), TimeWindow.serializer())))
                .value();
        return set == null ? 0 : set.size();
    }

    int timers() {
        var queues = backend.timerQueues(WindowOperator.TIMERS, null);
        return queues.eventTime().size() + queues.processingTime().size();
    }

    /** A fresh operator and backend restored from a snapshot of this one, clock where this one's is. */
    WindowHarness snapshotAndRestore() throws Exception {
        KeyedStateSnapshot snapshot = backend.snapshot().write();
        operator.close();
        return new WindowHarness(spec, List.of(snapshot), clock.currentTime(), sideIds);
    }
}
