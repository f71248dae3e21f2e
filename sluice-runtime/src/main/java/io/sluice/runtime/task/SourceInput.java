package io.sluice.runtime.task;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.operator.Output;

/**
 * Drives a source reader: each poll emits a batch into the chain. When the reader ends, emits the final
 * watermark ({@link Long#MAX_VALUE}) so every event-time timer downstream fires.
 */
final class SourceInput implements TaskInput, SourceOutput<Object> {
    private final SourceReader<Object, ?> reader;
    private final Output output;
    private final String name;

    SourceInput(SourceReader<Object, ?> reader, Output output, String name) {
        this.reader = reader;
        this.output = output;
        this.name = name;
    }

    @Override
    public Status processSome() {
        InputStatus status;
        try {
            status = reader.pollNext(this);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new OperatorException(name, e);
        }
        return switch (status) {
            case MORE_AVAILABLE -> Status.MORE;
            case NOTHING_AVAILABLE -> Status.NOTHING_NOW;
            case END_OF_INPUT -> {
                output.emitWatermark(Long.MAX_VALUE);
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
    public void collect(Object record) {
        output.emit(record, Long.MIN_VALUE);
    }

    @Override
    public void collect(Object record, long timestamp) {
        output.emit(record, timestamp);
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }
}
