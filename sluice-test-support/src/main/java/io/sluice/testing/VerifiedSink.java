package io.sluice.testing;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * A sink under test wrapped so that the verifier's ledger learns what each of its transactions held and which were
 * committed ({@link VerifiedWriter}); or, as a source's witness, how far each split had been read at each checkpoint.
 * Part of the job graph: holds the ledger directory as a string and opens a ledger file per writer.
 */
final class VerifiedSink<R, TX extends Serializable> implements TwoPhaseCommitSink<R, VerifiedTransaction> {

    /** What the writers write down per transaction. */
    enum Kind {
        /** Every record's tag: the sink under test. */
        TAGS,
        /** Each split's position: a source's witness. */
        POSITIONS
    }

    private final TwoPhaseCommitSink<R, TX> sink;
    private final TagOf<R> tagOf;
    private final String ledgerDirectory;
    private final Kind kind;
    /** For a witness chained by {@code fromSource}: its source's chaining key; otherwise {@code null}. */
    private final String chainKey;

    VerifiedSink(TwoPhaseCommitSink<R, TX> sink, TagOf<R> tagOf, Path ledgerDirectory, Kind kind, String chainKey) {
        this.sink = sink;
        this.tagOf = tagOf;
        this.ledgerDirectory = ledgerDirectory.toString();
        this.kind = kind;
        this.chainKey = chainKey;
    }

    @Override
    public TransactionalWriter<R, VerifiedTransaction> createWriter(SinkContext context) throws Exception {
        Recording recording = kind == Kind.TAGS ? new TagRecording() : new PositionRecording();
        if (chainKey != null) {
            recording = new ChainedRecording(recording, chainKey, context.operatorName());
        }
        return new VerifiedWriter<>(sink.createWriter(context), tagOf, recording,
                LedgerFile.create(Path.of(ledgerDirectory)), context.subtaskIndex());
    }
}
