package io.sluice.testing;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.checkpoint.restore.OperatorStateRedistribution;
import io.sluice.runtime.operator.OneInputOperator;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.state.KeyGroupRange;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.KeyedStateSnapshot;
import io.sluice.runtime.state.heap.HeapKeyedStateBackend;
import io.sluice.runtime.state.operator.OperatorStateSnapshot;
import io.sluice.runtime.state.operator.OperatorStateStore;
import io.sluice.runtime.timer.ManualProcessingTime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs one operator of the real runtime, as one subtask, on the calling thread: records, watermarks and processing
 * time go in; the main output, side outputs, watermarks and keyed state come out; {@link #snapshot()} and
 * {@link #restore} work as a checkpoint and a recovery would, also at another parallelism. Keyed operators get a heap
 * state backend over their subtask's key groups; every operator gets an operator state store and a manual
 * processing-time clock that moves only through {@link #setProcessingTime}.
 *
 * <p>Users test their functions with the typed harnesses built on this one ({@link KeyedProcessFunctionHarness},
 * {@link ProcessFunctionHarness}, {@link OneInputFunctionHarness}); engine code tests its own operators with it
 * directly:
 *
 * <pre>{@code
 * var h = new OperatorHarness<String, String>(new KeyedReduceOperator<>(s -> s, (a, b) -> a + b, Types.STRING),
 *         Types.STRING, Subtask.single());
 * h.processElement("a", 1);
 * h.output();                      // [a@1]
 * HarnessSnapshot s = h.snapshot();
 * h.close();
 * }</pre>
 *
 * <p><b>Life cycle.</b> A harness starts unopened: {@link #restore} is allowed only then. The operator is opened by
 * {@link #open()} or by the first call that needs it (input, time, state, snapshot). {@link #close()} closes the
 * operator and its function; afterwards only the collected output may be read.
 *
 * <p><b>Time.</b> As in a task, a processing-time callback that is due (also one registered for a time already
 * passed, or restored from a snapshot) runs right after the call that made it due. Watermarks must not decrease.
 *
 * <p><b>Threading.</b> Not thread-safe: drive a harness from one thread, as a task drives its operators.
 *
 * @param <IN>  the operator's input type
 * @param <OUT> the type of its main output
 */
@SuppressWarnings("try") // close() throws what the function's close() throws: Exception
public sealed class OperatorHarness<IN, OUT> implements AutoCloseable
        permits KeyedProcessFunctionHarness, ProcessFunctionHarness, OneInputFunctionHarness {
    /** The operator name functions see through their runtime context. */
    public static final String OPERATOR_NAME = "under-test";

    private enum Phase { CREATED, OPEN, CLOSED }

    private final OneInputOperator<IN> operator;
    private final Subtask subtask;
    private final ManualProcessingTime clock = new ManualProcessingTime(0);
    private final HeapKeyedStateBackend backend;
    private final OperatorStateStore operatorState = new OperatorStateStore();
    private final CollectingOutput collected = new CollectingOutput();
    private Phase phase = Phase.CREATED;
    private long watermark = Long.MIN_VALUE;

    /**
     * @param operator      a fresh operator instance, not yet opened
     * @param keySerializer the key serializer for a keyed operator (which then gets a state backend), or {@code null}
     * @param subtask       which subtask the operator runs as
     */
    public OperatorHarness(OneInputOperator<IN> operator, TypeSerializer<?> keySerializer, Subtask subtask) {
        this.operator = Objects.requireNonNull(operator, "operator");
        this.subtask = Objects.requireNonNull(subtask, "subtask");
        this.backend = keySerializer == null ? null : new HeapKeyedStateBackend(
                KeyGroupRange.of(subtask.index(), subtask.parallelism(), subtask.maxParallelism()),
                subtask.maxParallelism(), keySerializer, clock::currentTime);
    }

    /** The subtask this harness runs as. */
    public Subtask subtask() {
        return subtask;
    }

    /** The keyed state backend, or {@code null}: for the engine's own tests in this package (entry counts). */
    HeapKeyedStateBackend keyedBackend() {
        return backend;
    }

    // ---- restore and open ----

    /** Restores from one snapshot; see {@link #restore(List)}. */
    public void restore(HarnessSnapshot snapshot) {
        restore(List.of(snapshot));
    }

    /**
     * Restores the state of this harness's subtask from snapshots of the old subtasks (all of them, for a rescale):
     * keyed state and timers of the key groups this subtask owns; operator list state dealt round-robin over the new
     * subtasks when the parallelism changed (else each subtask gets its own back), union state whole, broadcast state
     * from one old subtask. The clock moves to the latest snapshot's processing time if that is later. Only before the
     * operator is opened.
     *
     * @throws IllegalArgumentException if the snapshots do not fit: another {@code maxParallelism}, keyed state into a
     *                                  non-keyed operator or back, mixed parallelisms, or one subtask twice
     */
    public void restore(List<HarnessSnapshot> snapshots) {
        if (phase != Phase.CREATED) {
            throw new IllegalStateException("restore comes before the operator is opened (before any input, time or state access)");
        }
        List<HarnessSnapshot> sorted = new ArrayList<>(snapshots);
        sorted.sort(Comparator.comparingInt(s -> s.subtask().index()));
        checkCompatible(sorted);
        if (sorted.isEmpty()) {
            return;
        }
        // Operator state is redistributed by old subtask index, as a restore from a checkpoint does.
        int oldParallelism = sorted.getFirst().subtask().parallelism();
        SortedMap<Integer, OperatorStateSnapshot> byOldSubtask = new TreeMap<>();
        List<KeyedStateSnapshot> keyed = new ArrayList<>();
        long time = clock.currentTime();
        for (HarnessSnapshot s : sorted) {
            byOldSubtask.put(s.subtask().index(), s.operatorState());
            if (s.keyedState() != null) {
                keyed.add(s.keyedState());
            }
            time = Math.max(time, s.processingTime());
        }
        operatorState.restore(OperatorStateRedistribution.redistribute(byOldSubtask, oldParallelism, subtask.parallelism())
                .get(subtask.index()), subtask.index());
        if (backend != null) {
            try {
                backend.restore(keyed);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot restore keyed state: " + e.getMessage(), e);
            }
        }
        advanceClock(time);
    }

    private void checkCompatible(List<HarnessSnapshot> sorted) {
        for (int i = 0; i < sorted.size(); i++) {
            Subtask from = sorted.get(i).subtask();
            if (from.maxParallelism() != subtask.maxParallelism()) {
                throw new IllegalArgumentException("snapshot of " + from + " cannot be restored with maxParallelism "
                        + subtask.maxParallelism() + ": the number of key groups never changes");
            }
            if (sorted.get(i).isKeyed() != (backend != null)) {
                throw new IllegalArgumentException("snapshot of " + from + " is " + (sorted.get(i).isKeyed() ? "" : "not ")
                        + "keyed, the operator is " + (backend != null ? "" : "not ") + "keyed");
            }
            if (from.parallelism() != sorted.getFirst().subtask().parallelism()) {
                throw new IllegalArgumentException("snapshots of different parallelisms: " + sorted.getFirst().subtask() + ", " + from);
            }
            if (i > 0 && from.index() == sorted.get(i - 1).subtask().index()) {
                throw new IllegalArgumentException("two snapshots of " + from);
            }
        }
    }

    /** Opens the operator (and the function in it); implied by the first input, time advance, state access or snapshot. */
    public void open() throws Exception {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException("the harness is closed");
        }
        if (phase == Phase.CREATED) {
            phase = Phase.OPEN;
            operator.open(new OperatorSetup(OPERATOR_NAME, subtask.index(), subtask.parallelism(), subtask.maxParallelism(),
                    collected.output, backend, operatorState, clock));
            runDueCallbacks();
        }
    }

    private void ensureOpen() throws Exception {
        if (phase != Phase.OPEN) {
            open();
        }
    }

    // ---- input ----

    /** Processes a record without a timestamp. */
    public void processElement(IN value) throws Exception {
        processElement(value, Long.MIN_VALUE);
    }

    /** Processes a record with a timestamp; then runs processing-time callbacks that became due. */
    public void processElement(IN value, long timestamp) throws Exception {
        ensureOpen();
        collected.counters.recordsIn++;
        operator.processRecord(value, timestamp);
        runDueCallbacks();
    }

    /**
     * Advances the watermark: fires the due event-time timers, then passes the watermark on (see {@link #watermarks()}).
     *
     * @throws IllegalArgumentException if it is below the previous watermark (the runtime never sends one)
     */
    public void processWatermark(long newWatermark) throws Exception {
        ensureOpen();
        if (newWatermark < watermark) {
            throw new IllegalArgumentException("watermark " + newWatermark + " is below the current " + watermark);
        }
        watermark = newWatermark;
        operator.processWatermark(newWatermark);
        runDueCallbacks();
    }

    /** Signals the end of a bounded input ({@code endInput}); send {@code processWatermark(Long.MAX_VALUE)} before, as a task does. */
    public void endInput() throws Exception {
        ensureOpen();
        operator.endInput();
        runDueCallbacks();
    }

    /**
     * Moves the processing-time clock to {@code time} and runs every callback due by then, in time order: the
     * processing-time timers, which also see the new time. TTL state expires by this clock too.
     *
     * @throws IllegalArgumentException if {@code time} is before the current time
     */
    public void setProcessingTime(long time) throws Exception {
        ensureOpen();
        if (time < clock.currentTime()) {
            throw new IllegalArgumentException("processing time " + time + " is before the current " + clock.currentTime());
        }
        clock.advanceTo(time);
    }

    /** The processing-time clock (starts at 0, or at a restored snapshot's time). */
    public long processingTime() {
        return clock.currentTime();
    }

    private void runDueCallbacks() throws Exception {
        clock.advanceTo(clock.currentTime());
    }

    private void advanceClock(long time) {
        try {
            clock.advanceTo(time); // before open nothing is scheduled: this only moves the clock
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- output ----

    /** The main output's records with their timestamps, in emission order (a copy). */
    @SuppressWarnings("unchecked")
    public List<Timestamped<OUT>> output() {
        return List.copyOf((List<Timestamped<OUT>>) (List<?>) collected.main.records);
    }

    /** The main output's records without timestamps, in emission order. */
    @SuppressWarnings("unchecked")
    public List<OUT> outputValues() {
        return collected.main.records.stream().map(r -> (OUT) r.value()).toList();
    }

    /** The records emitted to the side output {@code tag}, with timestamps; empty if none. */
    @SuppressWarnings("unchecked")
    public <X> List<Timestamped<X>> sideOutput(OutputTag<X> tag) {
        return List.copyOf((List<Timestamped<X>>) (List<?>) collected.side(tag.id()));
    }

    /** The watermarks the operator passed on, in order. */
    public List<Long> watermarks() {
        return List.copyOf(collected.main.watermarks);
    }

    /** Forgets the output, side outputs and watermarks collected so far. */
    public void clearOutput() {
        collected.clear();
    }

    // ---- state ----

    /** Whether this subtask owns {@code key}'s key group (only such keys may be processed or looked up). */
    public boolean ownsKey(Object key) {
        int keyGroup = KeyGroups.keyGroupOf(key, subtask.maxParallelism());
        return KeyGroups.subtaskOf(keyGroup, subtask.maxParallelism(), subtask.parallelism()) == subtask.index();
    }

    /**
     * The keyed state named by {@code descriptor}, scoped to {@code key}: the handle the function gets for the same
     * name, with the current key set to {@code key}. Valid until the next call on the harness, which may switch the
     * key. Reads behave as the function's would: expired entries are dropped, and ON_READ_AND_WRITE TTL renews.
     *
     * @throws IllegalStateException if the operator is not keyed, or {@code key} belongs to another subtask
     */
    public <S extends State> S state(Object key, StateDescriptor<S> descriptor) {
        if (backend == null) {
            throw new IllegalStateException("the operator is not keyed: it has no keyed state");
        }
        try {
            ensureOpen();
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the operator: " + e, e);
        }
        backend.setCurrentKey(key);
        return backend.getState(descriptor);
    }

    // ---- snapshot and close ----

    /**
     * Takes a snapshot, as a checkpoint would at this point (both its synchronous and asynchronous part). The harness
     * continues unchanged.
     */
    public HarnessSnapshot snapshot() throws Exception {
        ensureOpen();
        KeyedStateSnapshot keyed = backend == null ? null : backend.snapshot().write();
        return new HarnessSnapshot(subtask, clock.currentTime(), keyed, operatorState.snapshot());
    }

    /** Closes the operator and its function (once; later calls do nothing). Collected output stays readable. */
    @Override
    public void close() throws Exception {
        if (phase == Phase.OPEN) {
            phase = Phase.CLOSED;
            try {
                operator.close();
            } finally {
                if (backend != null) {
                    backend.close();
                }
            }
        }
        phase = Phase.CLOSED;
    }
}
