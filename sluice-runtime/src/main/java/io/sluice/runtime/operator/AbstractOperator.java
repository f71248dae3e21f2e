package io.sluice.runtime.operator;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.Function;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ListState;
import io.sluice.api.state.ListStateDescriptor;
import io.sluice.api.state.MapState;
import io.sluice.api.state.MapStateDescriptor;
import io.sluice.api.state.State;
import io.sluice.api.state.StateDescriptor;

/**
 * Shared plumbing of the built-in operators: the setup, the watermark, the user function's life cycle, a collector
 * and a per-record context that emit with the current record's timestamp. Runtime-internal; users write functions.
 */
public abstract class AbstractOperator implements StreamOperator, RuntimeContext, ProcessFunction.Context, Collector<Object> {
    protected OperatorSetup setup;
    protected Output output;
    protected long watermark = Long.MIN_VALUE;
    /** Timestamp of the record (or timer) being processed; emitted records carry it. */
    protected long timestamp = Long.MIN_VALUE;

    /** The user function, opened and closed with the operator; {@code null} if none. */
    protected abstract Function function();

    @Override
    public void open(OperatorSetup setup) throws Exception {
        this.setup = setup;
        this.output = setup.output();
        Function f = function();
        if (f != null) {
            f.open(this);
        }
    }

    @Override
    public void processWatermark(long wm) throws Exception {
        watermark = wm;
        output.emitWatermark(wm);
    }

    /** Passes idleness on, as watermarks are. */
    @Override
    public void processWatermarkStatus(boolean idle) throws Exception {
        output.emitWatermarkStatus(idle);
    }

    @Override
    public void close() throws Exception {
        Function f = function();
        if (f != null) {
            f.close();
        }
    }

    // ---- Collector: emits to the main output with the current timestamp ----

    @Override
    public void collect(Object record) {
        output.emit(record, timestamp);
    }

    // ---- ProcessFunction.Context ----

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
        output.emitSide(tag, value, timestamp);
    }

    @Override
    public long currentWatermark() {
        return watermark;
    }

    // ---- RuntimeContext ----

    @Override
    public String operatorName() {
        return setup.name();
    }

    @Override
    public int subtaskIndex() {
        return setup.subtaskIndex();
    }

    @Override
    public int parallelism() {
        return setup.parallelism();
    }

    @Override
    public int maxParallelism() {
        return setup.maxParallelism();
    }

    @Override
    public <S extends State> S getState(StateDescriptor<S> descriptor) {
        if (setup.stateBackend() == null) {
            throw new IllegalStateException("Operator '" + setup.name() + "' is not keyed: keyed state needs a keyBy() before it");
        }
        return setup.stateBackend().getState(descriptor);
    }

    @Override
    public <T> ListState<T> getOperatorListState(ListStateDescriptor<T> descriptor) {
        return setup.operatorState().listState(descriptor);
    }

    @Override
    public <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor) {
        return setup.operatorState().unionListState(descriptor);
    }

    @Override
    public <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
        return ReadOnlyMapState.of(setup.operatorState().broadcastState(descriptor));
    }
}
