package io.sluice.cluster.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A process's log file, rolled by size: when {@code FILE} reaches {@code maxBytes}, it becomes {@code FILE.1} (the
 * older ones move up to {@code FILE.keep}, the oldest is deleted) and a new {@code FILE} starts, so a long-running
 * coordinator or worker never fills the disk. Rolls only at the start of a write, so a line is never split across
 * files when written whole. Thread-safe (writes are serialized).
 */
public final class RollingLogStream extends OutputStream {
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long written;

    /**
     * @param maxBytes the size at which the file is rolled
     * @param keep     how many rolled files are kept beside the current one
     */
    public RollingLogStream(Path file, long maxBytes, int keep) throws IOException {
        if (maxBytes < 1 || keep < 1) {
            throw new IllegalArgumentException("a rolling log needs a positive size and at least one file kept");
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        Files.createDirectories(file.toAbsolutePath().getParent());
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(file);
    }

    private void rollIfFull() throws IOException {
        if (written < maxBytes) {
            return;
        }
        out.close();
        Files.deleteIfExists(rolled(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(rolled(i))) {
                Files.move(rolled(i), rolled(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rolled(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path rolled(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        rollIfFull();
        out.write(b);
        written++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        rollIfFull();
        out.write(b, off, len);
        written += len;
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
