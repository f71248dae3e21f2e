package io.sluice.connectors.file;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An exactly-once text file sink (two-phase commit by rename): one UTF-8 line per record into the directory
 * {@code dir}; the output is the set of visible files {@code part-<subtask>-<seq>}, each holding whole transactions
 * only. Use {@link #readCommitted(Path)} to read it back.
 *
 * <h2>Files and the transaction cycle</h2>
 * <ul>
 *   <li><b>write</b>: the first record after a pre-commit opens a new hidden in-progress file
 *       {@code .part-<subtask>-<seq>-of-<parallelism>.inprogress} (created exclusively; readers of committed output
 *       ignore names starting with '.'); each record is appended as {@code formatter.format(record) + '\n'}.
 *       A formatted record should not contain line ends: readers split on '\n'.</li>
 *   <li><b>preCommit(checkpoint)</b>: flushes, fsyncs and closes the file, fsyncs the directory (so the file's name
 *       is durable too) and returns a {@link PendingFile} naming it and its exact length; {@code null} if nothing was
 *       written since the last pre-commit. The next record opens the next file.</li>
 *   <li><b>commit(handle)</b>: atomically renames the in-progress file to {@code part-<subtask>-<seq>}, then fsyncs
 *       the directory. Idempotent: if the in-progress file is gone and the final file exists (with the recorded
 *       length) it was already committed, and only the directory fsync is repeated (that also covers a crash between
 *       the rename and its fsync). If <em>neither</em> exists, the commit fails with an {@link IOException} saying the
 *       transaction's data is lost and naming both files and the checkpoint. A length that differs from the recorded
 *       one, or both names present at once, is an error too (never silently overwritten).</li>
 * </ul>
 * {@code seq} numbers of a subtask index start after the highest one found in the directory for that index,
 * committed or in progress, so a restarted writer never reuses a name (and exclusive creation skips any name that
 * appears concurrently). The parallelism in the in-progress name is what makes aborting safe after a rescale, below.
 *
 * <h2>Recovery: {@code recover(committedByCheckpoint)}</h2>
 * First every given handle is committed (idempotently), whichever subtask index wrote it. Then the in-progress files
 * of this subtask's index that the restored checkpoint does not name are transactions newer than it (or debris of
 * older failed runs): they are <em>aborted</em>, i.e. deleted, their lines never visible.
 * <ul>
 *   <li>Deleted at once: this index's in-progress files written at the <em>current</em> parallelism and not among the
 *       given handles. That is safe because at an unchanged parallelism the runtime gives every subtask back exactly
 *       the handles it stored (split operator state is kept per subtask), and a file written at the current
 *       parallelism cannot be in a checkpoint taken at another one. So at an unchanged parallelism no in-progress
 *       file of this subtask survives {@code recover}.</li>
 *   <li>Deferred: this index's in-progress files written at <em>another</em> parallelism, and those of subtask indexes
 *       that no longer exist ({@code j >= parallelism}; subtask {@code j % parallelism} takes care of index {@code j}).
 *       After a rescale the runtime deals the restored handles round-robin, so such a file may be named by a handle
 *       that another subtask is about to commit at this very moment; deleting it now could lose that transaction.
 *       They are deleted when this writer's first own transaction is committed through {@link
 *       TransactionalWriter#commit}: that happens only once a checkpoint of the new run completed, i.e. after every
 *       subtask acknowledged it and so had finished its {@code recover}, committing every handle of the restored
 *       checkpoint. Until then they are hidden debris, never visible output; if the run never completes a checkpoint
 *       in which this subtask wrote something, they stay until a later run cleans them.</li>
 * </ul>
 * Pre-committed transactions of vanished subtask indexes are not lost by a rescale: their handles are redistributed
 * by the runtime through operator list state and committed by whichever subtask receives them. Subtasks never delete
 * or rename each other's files otherwise.
 * <p>Assumption on the runtime: a checkpoint holds the handles pre-committed by the run that took it (handles it
 * restored are committed in {@code recover} and not stored again), and restores split state per subtask at an
 * unchanged parallelism, or gives every subtask all handles (union style, as {@code TransactionalSinkOperator} does):
 * that is safe too, every subtask then commits every handle, and concurrent commits of one handle are tolerated (the
 * loser finds the final file and returns).
 *
 * <h2>End of input and close</h2>
 * {@code finish()} pre-commits the last transaction and commits it, and every transaction of this writer still
 * pending, <em>directly, without a checkpoint</em>: the end of a bounded job publishes its output at once. Caveat: if
 * the job then fails (another subtask still running) and is restored from a checkpoint older than that, the replayed
 * records are written again (duplicates). A runtime that needs exactly-once across that window must take a final
 * checkpoint (pre-commit and complete it) before calling {@code finish()}; {@code finish()} then has nothing left to
 * do. {@code close()} without {@code finish()} (failure, cancellation) keeps every pre-committed file for a later
 * {@code recover} to commit or abort; it deletes only the file still open, which no pre-commit named and so no
 * checkpoint can hold.
 *
 * @param <T> the records
 */
public final class TransactionalFileSink<T> implements TwoPhaseCommitSink<T, PendingFile> {

    private final String dir;
    private final TextFileSink.Formatter<T> formatter;

    /** Writes each record's {@code toString()} ({@code String.valueOf}). */
    public TransactionalFileSink(String dir) {
        this(dir, String::valueOf);
    }

    public TransactionalFileSink(String dir, TextFileSink.Formatter<T> formatter) {
        if (dir == null || formatter == null) {
            throw new NullPointerException(dir == null ? "dir" : "formatter");
        }
        this.dir = dir;
        this.formatter = formatter;
    }

    /** Creates the directory if needed. The writer picks its first seq from the directory's current contents. */
    @Override
    public TransactionalWriter<T, PendingFile> createWriter(SinkContext context) throws IOException {
        Path directory = Path.of(dir).toAbsolutePath();
        Files.createDirectories(directory);
        return new TransactionalFileWriter<>(directory, context.subtaskIndex(), context.parallelism(), formatter);
    }

    /**
     * Every line of the committed files in {@code dir} (those named {@code part-<subtask>-<seq>}), ordered by file
     * name with the numbers compared as numbers (subtask, then seq, so each subtask's lines come in write order).
     * Hidden in-progress files and other names are ignored. Strict UTF-8.
     */
    public static List<String> readCommitted(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (PartFiles.Part part : PartFiles.list(dir)) {
            if (part.committed()) {
                splitLines(part.path(), lines);
            }
        }
        return lines;
    }

    /** The in-progress files (pending or aborted transactions) in {@code dir}, for checks such as "none left". */
    public static List<Path> inProgressFiles(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (PartFiles.Part part : PartFiles.list(dir)) {
            if (!part.committed()) {
                paths.add(part.path());
            }
        }
        return paths;
    }

    private static void splitLines(Path file, List<String> into) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("committed file " + file + " is not valid UTF-8", e);
        }
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                into.add(text.substring(start)); // never written so by the sink: a last line without line end
                break;
            }
            into.add(text.substring(start, end));
            start = end + 1;
        }
    }
}
