package io.sluice.connectors.file;

import io.sluice.api.sink.TwoPhaseCommitSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** One subtask's writer of {@link TransactionalFileSink}; the protocol is described there. Task thread only. */
final class TransactionalFileWriter<T> implements TwoPhaseCommitSink.TransactionalWriter<T, PendingFile> {

    private static final int BUFFER_CHARS = 64 * 1024;

    private final Path dir;
    private final int subtask;
    private final int parallelism;
    private final TextFileSink.Formatter<T> formatter;

    private long nextSeq;
    /** The open transaction, or null. */
    private FileChannel channel;
    private Writer out;
    private Path currentPath;
    private long currentSeq;
    /** Transactions this writer pre-committed and nobody committed through it yet, by seq. */
    private final TreeMap<Long, PendingFile> pending = new TreeMap<>();
    /** recover() left in-progress files that only become safe to delete once a checkpoint of this run completed. */
    private boolean deferredCleanup;
    private boolean started;
    private boolean finished;
    private boolean closed;

    TransactionalFileWriter(Path dir, int subtask, int parallelism, TextFileSink.Formatter<T> formatter) throws IOException {
        if (parallelism < 1 || subtask < 0 || subtask >= parallelism) {
            throw new IllegalArgumentException("subtask " + subtask + " of parallelism " + parallelism);
        }
        this.dir = dir;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.formatter = formatter;
        long highest = -1;
        for (PartFiles.Part part : PartFiles.list(dir)) {
            if (part.subtask() == subtask) {
                highest = Math.max(highest, part.seq());
            }
        }
        this.nextSeq = highest + 1;
    }

    @Override
    public void recover(List<PendingFile> committedByCheckpoint) throws IOException {
        checkUsable();
        if (started) {
            throw new IllegalStateException("recover must be called before any record or pre-commit");
        }
        Set<String> named = new HashSet<>();
        for (PendingFile handle : committedByCheckpoint) {
            commitFile(Objects.requireNonNull(handle, "null handle"));
            named.add(handle.inProgressName());
        }
        boolean deleted = false;
        for (PartFiles.Part part : PartFiles.list(dir)) {
            if (part.committed()) {
                continue;
            }
            if (part.subtask() == subtask) {
                if (part.parallelism() != parallelism) {
                    deferredCleanup = true; // may be named by a handle another subtask is committing right now
                } else if (!named.contains(part.path().getFileName().toString())) {
                    Files.deleteIfExists(part.path()); // newer than the restored checkpoint: abort
                    deleted = true;
                }
            } else if (isVanishedIndexOfMine(part.subtask())) {
                deferredCleanup = true;
            }
        }
        if (deleted) {
            PartFiles.fsyncDirectory(dir);
        }
    }

    @Override
    public void write(T record) throws IOException {
        checkWritable();
        String line = Objects.requireNonNull(formatter.format(record), "the formatter returned null");
        if (out == null) {
            open();
        }
        out.write(line);
        out.write('\n');
    }

    @Override
    public PendingFile preCommit(long checkpointId) throws IOException {
        checkWritable();
        started = true;
        if (out == null) {
            return null;
        }
        out.flush();
        channel.force(true);
        long bytes = channel.size();
        out.close();
        PartFiles.fsyncDirectory(dir); // the new file's name must be as durable as its bytes
        PendingFile handle = new PendingFile(subtask, currentSeq, parallelism, checkpointId, bytes);
        pending.put(currentSeq, handle);
        out = null;
        channel = null;
        currentPath = null;
        return handle;
    }

    @Override
    public void commit(PendingFile transaction) throws IOException {
        checkUsable();
        commitFile(Objects.requireNonNull(transaction, "null handle"));
        if (transaction.subtask() == subtask && pending.remove(transaction.seq(), transaction)) {
            // One of this run's own transactions is committed: its checkpoint completed, so every subtask has
            // acknowledged it and therefore finished recover() (committing every restored handle).
            cleanUpDeferred();
        }
    }

    /** End of bounded input: commits the last transaction and every still pending one, without a checkpoint. */
    @Override
    public void finish() throws IOException {
        checkWritable();
        preCommit(PendingFile.END_OF_INPUT);
        for (PendingFile handle : new ArrayList<>(pending.values())) {
            commitFile(handle);
        }
        pending.clear();
        finished = true;
    }

    /** Keeps pre-committed files for a later recover; deletes the open file (no checkpoint can name it). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (channel != null) {
            try {
                channel.close(); // unflushed buffered characters are dropped with the file
            } finally {
                Files.deleteIfExists(currentPath);
                out = null;
                channel = null;
                currentPath = null;
            }
        }
    }

    private void open() throws IOException {
        while (true) {
            long seq = nextSeq++;
            if (Files.exists(dir.resolve(PartFiles.finalName(subtask, seq)))) {
                continue;
            }
            Path path = dir.resolve(PartFiles.inProgressName(subtask, seq, parallelism));
            try {
                channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                continue; // created since we scanned the directory: never reuse a name
            }
            out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT), -1), BUFFER_CHARS);
            currentPath = path;
            currentSeq = seq;
            started = true;
            return;
        }
    }

    /** Renames the in-progress file to its final name; already done is fine; neither name present is data loss. */
    private void commitFile(PendingFile handle) throws IOException {
        Path source = dir.resolve(handle.inProgressName());
        Path target = dir.resolve(handle.finalName());
        if (!Files.exists(target)) {
            try {
                checkLength(source, handle, "pre-committed file");
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                // gone: committed concurrently by another subtask holding the same handle (union-style restore),
                // or lost; told apart below
            }
        } else if (Files.exists(source)) {
            throw new IOException("cannot commit " + source + ": the committed name " + target
                    + " already exists (" + handle.describe() + "); refusing to overwrite committed output");
        }
        if (!Files.exists(target)) {
            throw new IOException("transaction lost: neither the pre-committed file " + source
                    + " nor its committed name " + target + " exists (" + handle.describe()
                    + "); its records are missing from the output (was the directory cleaned, or a checkpoint "
                    + "restored against another output directory?)");
        }
        checkLength(target, handle, "committed file");
        PartFiles.fsyncDirectory(dir); // also completes a commit whose rename happened just before a crash
    }

    private static void checkLength(Path file, PendingFile handle, String what) throws IOException {
        long size = Files.size(file);
        if (size != handle.bytes()) {
            throw new IOException(what + " " + file + " has " + size + " bytes, but its transaction was pre-committed with "
                    + handle.bytes() + " (" + handle.describe() + "): truncated, overwritten or not ours");
        }
    }

    private void cleanUpDeferred() throws IOException {
        if (!deferredCleanup) {
            return;
        }
        deferredCleanup = false;
        boolean deleted = false;
        for (PartFiles.Part part : PartFiles.list(dir)) {
            if (!part.committed()
                    && ((part.subtask() == subtask && part.parallelism() != parallelism) || isVanishedIndexOfMine(part.subtask()))) {
                deleted |= Files.deleteIfExists(part.path());
            }
        }
        if (deleted) {
            PartFiles.fsyncDirectory(dir);
        }
    }

    /** Subtask index {@code index} does not exist at this parallelism and this subtask cleans up after it. */
    private boolean isVanishedIndexOfMine(int index) {
        return index >= parallelism && index % parallelism == subtask;
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("the writer of subtask " + subtask + " is closed");
        }
    }

    private void checkWritable() {
        checkUsable();
        if (finished) {
            throw new IllegalStateException("the writer of subtask " + subtask + " has finished");
        }
    }
}
