package io.sluice.runtime.state.heap;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;

/** A reusable growable byte buffer with a {@link DataOutputStream} on it, read in place (no copy). One thread. */
final class Scratch extends ByteArrayOutputStream {
    final DataOutputStream data = new DataOutputStream(this);

    Scratch() {
        super(64);
    }

    /** The buffer; its first {@link #size()} bytes are what was written. */
    byte[] bytes() {
        return buf;
    }

    /** Drops what was written after the first {@code size} bytes. */
    void truncate(int size) {
        count = size;
    }
}
