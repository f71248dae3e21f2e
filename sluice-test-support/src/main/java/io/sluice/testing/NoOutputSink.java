package io.sluice.testing;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import java.io.Serializable;
import java.util.List;

/**
 * A transactional sink that keeps nothing: under a {@link VerifiedSink} the ledger is its only output (a source's
 * witness, or {@link ExactlyOnceVerifier#ledgerSink()}). It never has a handle of its own.
 */
final class NoOutputSink<T> implements TwoPhaseCommitSink<T, Serializable> {

    @Override
    public TransactionalWriter<T, Serializable> createWriter(SinkContext context) {
        return new TransactionalWriter<>() {
            @Override
            public void recover(List<Serializable> committedByCheckpoint) {}

            @Override
            public void write(T record) {}

            @Override
            public Serializable preCommit(long checkpointId) {
                return null;
            }

            @Override
            public void commit(Serializable transaction) {}

            @Override
            public void close() {}
        };
    }
}
