package io.sluice.runtime.operator;

import io.sluice.api.functions.Function;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.SinkWriter;

/** Writes records through a {@link SinkWriter}: finished at the end of input, closed always. */
public final class SinkOperator<T> extends AbstractOperator implements OneInputOperator<T>, SinkContext {
    private final Sink<T> sink;
    private SinkWriter<T> writer;

    public SinkOperator(Sink<T> sink) {
        this.sink = sink;
    }

    @Override
    protected Function function() {
        return null;
    }

    @Override
    public void open(OperatorSetup setup) throws Exception {
        super.open(setup);
        writer = sink.createWriter(this);
    }

    @Override
    public void processRecord(T record, long ts) throws Exception {
        writer.write(record);
    }

    @Override
    public void endInput() throws Exception {
        writer.finish();
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
