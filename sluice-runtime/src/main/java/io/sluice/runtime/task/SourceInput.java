package io.sluice.runtime.task;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SourceReader;
import io.sluice.runtime.eventtime.SourceOutputs;
import io.sluice.runtime.operator.OperatorException;

/**
 * Drives a source reader: each poll emits a batch into the reader's {@link SourceOutputs}, which pass the records into
 * the chain and generate the source's watermarks per split. When the reader ends, emits the final watermark
 * ({@link Long#MAX_VALUE}) so every event-time timer downstream fires. Task thread only.
 */
final class SourceInput implements TaskInput {
    private final SourceReader<Object, ?> reader;
    private final SourceOutputs outputs;
    private final String name;
    private boolean started;

    SourceInput(SourceReader<Object, ?> reader, SourceOutputs outputs, String name) {
        this.reader = reader;
        this.outputs = outputs;
        this.name = name;
    }

    @Override
    public Status processSome() {
        InputStatus status;
        try {
            status = reader.pollNext(outputs);
            if (!started && status != InputStatus.END_OF_INPUT) {
                started = true;
                outputs.start();
            }
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
        return switch (status) {
            case MORE_AVAILABLE -> Status.MORE;
            case NOTHING_AVAILABLE -> Status.NOTHING_NOW;
            case END_OF_INPUT -> {
                outputs.endOfInput();
                yield Status.ENDED;
            }
        };
    }

    @Override
    public boolean hasInputNow() {
        return false;
    }

    @Override
    public long maxWaitNanos() {
        return reader.nanosUntilAvailable();
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }

    @Override
    public java.util.List<? extends io.sluice.api.source.SourceSplit> snapshotSplits() {
        return reader.snapshotSplits();
    }
}
