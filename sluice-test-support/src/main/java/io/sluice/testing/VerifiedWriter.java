package io.sluice.testing;

import io.sluice.api.sink.TwoPhaseCommitSink.TransactionalWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Wraps a subtask's writer of the sink under test: passes every call on and writes down in the ledger what each
 * transaction held (its {@link Recording}) when it is pre-committed, and that it was committed once the wrapped
 * commit returned. Commits the runtime repeats (recover commits the restored handles again) add lines for the same
 * transaction id, which the verification counts once; a record committed in two different transactions counts twice.
 *
 * <p>Records are written down only after the wrapped writer accepted them, commits only after the wrapped commit
 * returned: an exception leaves the ledger as if the call had not happened, and the runtime's retry (after a restart)
 * writes it down then.
 *
 * <p>Threading: the task thread of the sink's subtask (see {@link TransactionalWriter}).
 */
final class VerifiedWriter<R, TX extends Serializable> implements TransactionalWriter<R, VerifiedTransaction> {

    private final TransactionalWriter<R, TX> writer;
    private final TagOf<R> tagOf;
    private final Recording recording;
    private final LedgerFile ledger;
    private final int subtask;
    /** Transactions this writer pre-committed that no commit through it covered yet: {@code finish()} commits them. */
    private final Set<String> pending = new LinkedHashSet<>();

    VerifiedWriter(TransactionalWriter<R, TX> writer, TagOf<R> tagOf, Recording recording, LedgerFile ledger, int subtask) {
        this.writer = writer;
        this.tagOf = tagOf;
        this.recording = recording;
        this.ledger = ledger;
        this.subtask = subtask;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void recover(List<VerifiedTransaction> committedByCheckpoint) throws Exception {
        List<TX> own = new ArrayList<>();
        for (VerifiedTransaction t : committedByCheckpoint) {
            if (t.transaction() != null) {
                own.add((TX) t.transaction());
            }
        }
        writer.recover(own);
        for (VerifiedTransaction t : committedByCheckpoint) {
            ledger.committed(t.id());
        }
    }

    @Override
    public void write(R record) throws Exception {
        Tag tag = tagOf.tagOf(record);
        if (tag == null) {
            throw new IllegalStateException("the verified sink found no tag on the record " + record
                    + ": every record it writes must come from a verified source with its tag");
        }
        writer.write(record);
        recording.add(tag);
    }

    @Override
    public VerifiedTransaction preCommit(long checkpointId) throws Exception {
        TX own = writer.preCommit(checkpointId);
        if (own == null && recording.isEmpty()) {
            return null;
        }
        String id = ledger.newTransactionId();
        ledger.preCommitted(id, checkpointId, subtask, recording);
        pending.add(id);
        return new VerifiedTransaction(id, checkpointId, subtask, own);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void commit(VerifiedTransaction transaction) throws Exception {
        if (transaction.transaction() != null) {
            writer.commit((TX) transaction.transaction());
        }
        ledger.committed(transaction.id());
        pending.remove(transaction.id());
    }

    /**
     * The input ended: the wrapped writer makes everything written visible (a sink writer's {@code finish} contract),
     * so the open transaction and every pending one count as committed.
     */
    @Override
    public void finish() throws Exception {
        writer.finish();
        if (!recording.isEmpty()) {
            String id = ledger.newTransactionId();
            ledger.preCommitted(id, VerifiedTransaction.FINISHED, subtask, recording);
            pending.add(id);
        }
        for (String id : pending) {
            ledger.committed(id);
        }
        pending.clear();
    }

    @Override
    public void close() throws Exception {
        writer.close();
    }
}
