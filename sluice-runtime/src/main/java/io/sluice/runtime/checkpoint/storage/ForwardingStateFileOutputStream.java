package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link StateFileOutputStream} whose bytes go to another stream; subclasses say what taking the handle and closing
 * mean (recording the file, staging it elsewhere). Threading as the stream it forwards to.
 */
public abstract class ForwardingStateFileOutputStream extends StateFileOutputStream {
    protected final OutputStream out;

    protected ForwardingStateFileOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
