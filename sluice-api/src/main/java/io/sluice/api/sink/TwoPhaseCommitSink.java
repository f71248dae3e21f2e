package io.sluice.api.sink;

import java.io.Serializable;
import java.util.List;

/**
 * A sink whose output becomes visible exactly once, in step with checkpoints (two-phase commit):
 * <ol>
 *   <li>records are written into the current <em>transaction</em>;</li>
 *   <li>on a checkpoint's barrier the writer <em>pre-commits</em> it ({@link TransactionalWriter#preCommit}): flushes it
 *       durably and returns a handle, which is stored in the checkpoint; writing continues in a new transaction;</li>
 *   <li>when the checkpoint completes, the runtime <em>commits</em> every pre-committed transaction up to it
 *       ({@link TransactionalWriter#commit}); one completion notice may cover several checkpoints;</li>
 *   <li>on restore, the runtime commits the transactions the restored checkpoint pre-committed (they may or may not
 *       have been committed before the failure: commit must be idempotent) and the writer aborts every other
 *       transaction of its subtask that it finds ({@link TransactionalWriter#recover}).</li>
 * </ol>
 * After pre-commit, commit must eventually succeed: failures are retried after a restart.
 *
 * <p>Call order of one writer, as the runtime makes it (never two calls at once; on the task thread, except the
 * commits and the close at the job's successful end, which come from the job's thread once the task has ended):
 * {@link TransactionalWriter#recover recover} once, before anything else; then {@link TransactionalWriter#write write}
 * any number of times, {@link TransactionalWriter#preCommit preCommit} at each checkpoint's barrier (ids increasing) and
 * {@link TransactionalWriter#commit commit} of every transaction pre-committed up to a checkpoint once its completion
 * notice arrives; at the end of a bounded input one last {@code preCommit(Long.MAX_VALUE)}, and the commits of the
 * transactions still pending only once the whole job has finished successfully; {@link TransactionalWriter#close close}
 * last, always (after a failure, without those commits). {@link SinkWriter#finish finish} is not called on a
 * transactional writer. A restarted run creates new writers; nothing of a pre-committed transaction may be visible
 * before its commit.
 *
 * <p>{@code io.sluice.testing.TwoPhaseCommitSinkContractTest} in {@code sluice-test-support} checks this contract for
 * any sink, driving it through the runtime's own operator.
 *
 * @param <T>  the records
 * @param <TX> the handle of a pre-committed transaction: small, serializable, self-describing (e.g. a file name)
 */
public interface TwoPhaseCommitSink<T, TX extends Serializable> extends Sink<T> {

    @Override
    TransactionalWriter<T, TX> createWriter(SinkContext context) throws Exception;

    /**
     * One subtask's writer. Never two calls at once; all on the task thread, except the commits and the close at the
     * job's successful end, which come after the task has ended, from the job's thread.
     */
    interface TransactionalWriter<T, TX extends Serializable> extends SinkWriter<T> {

        /**
         * Called once, before any record, with the transactions the restored checkpoint pre-committed for this subtask
         * (empty on a fresh start): commit them (idempotently) and abort any other transaction of this subtask left by
         * an earlier run.
         */
        void recover(List<TX> committedByCheckpoint) throws Exception;

        /**
         * Makes the current transaction durable and returns its handle; starts a new one. May return {@code null} when
         * nothing was written since the last pre-commit (a handle of an empty transaction is fine too).
         */
        TX preCommit(long checkpointId) throws Exception;

        /** Makes a pre-committed transaction visible. Idempotent: committing twice has the effect of once. */
        void commit(TX transaction) throws Exception;
    }
}
