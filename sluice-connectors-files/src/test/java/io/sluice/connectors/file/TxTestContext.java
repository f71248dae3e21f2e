package io.sluice.connectors.file;

import io.sluice.api.sink.SinkContext;

/** A hand-written sink context for driving {@link TransactionalFileSink}'s writers directly. */
record TxTestContext(int subtaskIndex, int parallelism) implements SinkContext {
    @Override
    public String operatorName() {
        return "tx-file-sink";
    }
}
