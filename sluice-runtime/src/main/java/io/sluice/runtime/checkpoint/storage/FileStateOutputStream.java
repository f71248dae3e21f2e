package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A state file written through a {@link FileChannel} with a 64 KiB buffer. The CRC32C is computed per buffer drain
 * (or per large write passed straight through), never per byte.
 */
final class FileStateOutputStream extends StateFileOutputStream {
    static final int BUFFER_BYTES = 64 * 1024;

    private final FileSystemCheckpointWriter owner;
    private final StateFileHandle.Scope scope;
    private final String name;
    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final CRC32C crc = new CRC32C();
    private long size;
    private boolean closed;

    FileStateOutputStream(FileSystemCheckpointWriter owner, StateFileHandle.Scope scope, String name, Path path,
            FileChannel channel) {
        this.owner = owner;
        this.scope = scope;
        this.name = name;
        this.path = path;
        this.channel = channel;
    }

    StateFileHandle.Scope scope() {
        return scope;
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len > buffer.remaining()) {
            drain();
            if (len >= buffer.capacity()) {
                writeThrough(ByteBuffer.wrap(b, off, len));
                return;
            }
        }
        buffer.put(b, off, len);
    }

    /** Hands buffered bytes to the file system (no fsync; {@link #closeAndGetHandle()} does that). */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        drain();
    }

    @Override
    public StateFileHandle closeAndGetHandle() throws IOException {
        ensureOpen();
        drain();
        try {
            channel.force(true);
        } catch (IOException e) {
            throw fail("cannot sync the file to disk", e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw fail("cannot close the file", e);
        }
        closed = true;
        StateFileHandle handle = new StateFileHandle(scope, name, size, (int) crc.getValue());
        owner.fileWritten(this, handle);
        return handle;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAndDelete();
        owner.fileDiscarded(this);
    }

    private void drain() throws IOException {
        buffer.flip();
        writeThrough(buffer);
        buffer.clear();
    }

    private void writeThrough(ByteBuffer src) throws IOException {
        crc.update(src.duplicate());
        size += src.remaining();
        try {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        } catch (IOException e) {
            throw fail("cannot write", e);
        }
    }

    private CheckpointWriteException fail(String problem, IOException cause) {
        closed = true;
        closeAndDelete();
        owner.fileDiscarded(this);
        return new CheckpointWriteException(owner.checkpointId(), path.toString(), problem, cause);
    }

    private void closeAndDelete() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted next; a failed close changes nothing
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            owner.warnNotDeleted(path, e);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("State file " + path + " of checkpoint " + owner.checkpointId() + " is closed");
        }
    }
}
