package io.sluice.runtime.state.snapshot;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A {@link ByteArrayOutputStream} for one thread: its writes take no lock (a snapshot writes several per entry), and
 * its buffer can be read in place ({@link #bytes()}) and cut back ({@link #truncate}). Not thread-safe.
 */
public class GrowableBytes extends ByteArrayOutputStream {

    public GrowableBytes(int size) {
        super(size);
    }

    @Override
    public void write(int b) {
        if (count == buf.length) {
            grow(1);
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (len > buf.length - count) {
            grow(len);
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    private void grow(int more) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
    }

    /** The buffer; its first {@link #size()} bytes are what was written. */
    public byte[] bytes() {
        return buf;
    }

    /** Drops what was written after the first {@code size} bytes. */
    public void truncate(int size) {
        count = size;
    }
}
