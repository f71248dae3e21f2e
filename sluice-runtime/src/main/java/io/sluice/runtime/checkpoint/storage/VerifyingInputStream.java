package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Reads a state file through a 64 KiB buffer and checks it against its handle: more bytes than recorded fail as
 * soon as they are read; at the end of the file the size and CRC32C must match. Failures are
 * {@link CorruptCheckpointException}s naming the checkpoint and the file. The checksum is computed per buffer
 * fill, never per byte. One thread at a time.
 */
final class VerifyingInputStream extends InputStream {
    private final ReadableByteChannel channel;
    private final StateFileHandle handle;
    private final long checkpointId;
    private final String location;
    private final String file;
    private final ByteBuffer buffer = ByteBuffer.allocate(FileStateOutputStream.BUFFER_BYTES).limit(0);
    private final CRC32C crc = new CRC32C();
    private long count;
    private boolean verified;

    VerifyingInputStream(ReadableByteChannel channel, StateFileHandle handle, long checkpointId, String location,
            String file) {
        this.channel = channel;
        this.handle = handle;
        this.checkpointId = checkpointId;
        this.location = location;
        this.file = file;
    }

    @Override
    public int read() throws IOException {
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        return buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (buffer.hasRemaining()) {
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }
        if (len >= buffer.capacity()) {
            int n = readChannel(ByteBuffer.wrap(b, off, len));
            if (n < 0) {
                verifyEnd();
                return -1;
            }
            crc.update(b, off, n);
            counted(n);
            return n;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private boolean fill() throws IOException {
        buffer.clear();
        int n = readChannel(buffer);
        buffer.flip();
        if (n < 0) {
            verifyEnd();
            return false;
        }
        crc.update(buffer.duplicate());
        counted(n);
        return true;
    }

    private int readChannel(ByteBuffer dst) throws IOException {
        try {
            int n;
            do {
                n = channel.read(dst);
            } while (n == 0);
            return n;
        } catch (IOException e) {
            throw new CorruptCheckpointException(checkpointId, location, file, "unreadable: " + e, e);
        }
    }

    private void counted(int n) throws CorruptCheckpointException {
        count += n;
        if (count > handle.size()) {
            throw new CorruptCheckpointException(checkpointId, location, file,
                    "longer than the " + handle.size() + " bytes recorded in the metadata");
        }
    }

    private void verifyEnd() throws CorruptCheckpointException {
        if (verified) {
            return;
        }
        if (count != handle.size()) {
            throw new CorruptCheckpointException(checkpointId, location, file,
                    "truncated: " + count + " of " + handle.size() + " bytes");
        }
        int actual = (int) crc.getValue();
        if (actual != handle.crc32c()) {
            throw new CorruptCheckpointException(checkpointId, location, file, String.format(
                    "checksum mismatch (recorded crc32c %08x, file has %08x)", handle.crc32c(), actual));
        }
        verified = true;
    }
}
