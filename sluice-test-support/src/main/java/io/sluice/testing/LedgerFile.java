package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * One writer's file in a verifier's ledger directory, append-only: a line per pre-committed transaction
 * ({@code T} or {@code W}, with its records) and per commit ({@code C}). Each writer (each subtask of each run) has a
 * file of its own, named by a random id, so no two threads or processes ever append to one file, and transaction ids
 * ({@code fileId-seq}) are unique across runs and processes even where checkpoint ids repeat (a job resumed from an
 * older checkpoint numbers its checkpoints from there).
 *
 * <p>Each line is appended by opening, writing and closing the file: it reaches the operating system at once, so it
 * survives a killed process (not a machine crash: no fsync, which tests do not need). A kill in the middle of a write
 * can leave a last line without its line end, which {@link LedgerReader} ignores. Lines are few (per checkpoint and
 * commit, never per record), so the open per line costs nothing that matters.
 *
 * <p>Threading: one writer's task thread, except commits of the job's last transactions, which the runtime may run on
 * another thread after the writer's task ended; calls never overlap.
 */
final class LedgerFile {
    static final String SUFFIX = ".log";

    private final Path file;
    private final String fileId;
    private long nextSeq;
    /** Whether the directory is known to exist (a check per line would cost more than the append). */
    private boolean directoryChecked;

    private LedgerFile(Path file, String fileId) {
        this.file = file;
        this.fileId = fileId;
    }

    /** A new file in {@code directory} (created on the first line). */
    static LedgerFile create(Path directory) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new LedgerFile(directory.resolve(id + SUFFIX), id);
    }

    /** A transaction id no other transaction of any writer has. */
    String newTransactionId() {
        return fileId + "-" + nextSeq++;
    }

    /** Records transaction {@code id}, pre-committed for {@code checkpointId} by {@code subtask}, with its records. */
    void preCommitted(String id, long checkpointId, int subtask, Recording records) {
        StringBuilder line = new StringBuilder(64).append(records.kind()).append('\t').append(id).append('\t')
                .append(checkpointId).append('\t').append(subtask);
        records.drainInto(line);
        append(line.append('\n'));
    }

    /** Records that transaction {@code id}'s commit returned. */
    void committed(String id) {
        append(new StringBuilder("C\t").append(id).append('\n'));
    }

    private void append(CharSequence line) {
        try {
            if (!directoryChecked) {
                Files.createDirectories(file.getParent());
                directoryChecked = true;
            }
            Files.write(file, line.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the verifier's ledger file " + file + ": " + e.getMessage(), e);
        }
    }
}
