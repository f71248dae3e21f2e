package io.sluice.cli.soak;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.connectors.file.PendingFile;
import io.sluice.connectors.file.TransactionalFileSink;
import java.util.List;

/**
 * The soak job's sink: the exactly-once {@link TransactionalFileSink}, with the planned sink faults injected around
 * its writer's calls: {@code preCommit} (during a checkpoint's snapshot), {@code commit} (at a checkpoint's completion
 * notice) and {@code recover} (at a restore with transactions to commit), each before or after the real call.
 *
 * <p>With {@code dropLinesOf} set (the broken variant, tests only) it silently drops every line starting with that
 * prefix: data loss the round's check must report. Writers run on their task thread.
 */
final class FaultySink implements TwoPhaseCommitSink<String, PendingFile> {
    private final TransactionalFileSink<String> files;
    private final String dropLinesOf;

    /** @param dropLinesOf a line prefix to drop, or {@code null} (a correct sink) */
    FaultySink(String dir, String dropLinesOf) {
        this.files = new TransactionalFileSink<>(dir);
        this.dropLinesOf = dropLinesOf;
    }

    @Override
    public TransactionalWriter<String, PendingFile> createWriter(SinkContext context) throws Exception {
        return new Writer(files.createWriter(context), dropLinesOf);
    }

    /** Delegates to the file sink's writer, failing where the plan says. Task thread only. */
    private record Writer(TransactionalWriter<String, PendingFile> writer, String dropLinesOf)
            implements TransactionalWriter<String, PendingFile> {

        @Override
        public void recover(List<PendingFile> committedByCheckpoint) throws Exception {
            boolean restoring = !committedByCheckpoint.isEmpty();
            if (restoring) {
                SoakFaults.maybeFail(FaultKind.RECOVER_BEFORE);
            }
            writer.recover(committedByCheckpoint);
            if (restoring) {
                SoakFaults.maybeFail(FaultKind.RECOVER_AFTER);
            }
        }

        @Override
        public void write(String line) throws Exception {
            if (dropLinesOf == null || !line.startsWith(dropLinesOf)) {
                writer.write(line);
            }
        }

        @Override
        public PendingFile preCommit(long checkpointId) throws Exception {
            SoakFaults.maybeFail(FaultKind.PRECOMMIT_BEFORE);
            PendingFile handle = writer.preCommit(checkpointId);
            SoakFaults.maybeFail(FaultKind.PRECOMMIT_AFTER);
            return handle;
        }

        @Override
        public void commit(PendingFile transaction) throws Exception {
            SoakFaults.maybeFail(FaultKind.COMMIT_BEFORE);
            writer.commit(transaction);
            SoakFaults.maybeFail(FaultKind.COMMIT_AFTER);
        }

        @Override
        public void finish() throws Exception {
            writer.finish();
        }

        @Override
        public void close() throws Exception {
            writer.close();
        }
    }
}
