package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A state file of a checkpoint being written. Write its bytes, then call {@link #closeAndGetHandle()}: it makes the
 * file durable (fsync) and returns its handle (name, size and the CRC32C computed while writing). {@link #close()}
 * without a handle taken discards the file, so the usual shape is
 * <pre>{@code
 * try (StateFileOutputStream out = writer.createFile("op-1-kg-0-63")) {
 *     serializer.writeTo(out);
 *     return out.closeAndGetHandle();
 * }
 * }</pre>
 * A write that fails (disk full, an I/O error) throws a {@link CheckpointWriteException} naming the checkpoint and
 * the file, and deletes the partial file; the stream is then closed.
 *
 * <p>Threading: one thread at a time per stream. Different streams of the same or of different checkpoints may be
 * written by different threads at once.
 */
public abstract class StateFileOutputStream extends OutputStream {

    /** Flushes, fsyncs and closes the file, records it in its checkpoint and returns its handle. */
    public abstract StateFileHandle closeAndGetHandle() throws IOException;

    /** Discards the file unless {@link #closeAndGetHandle()} was called; then it does nothing. */
    @Override
    public abstract void close();
}
