package io.sluice.runtime.state.heap;

import io.sluice.runtime.state.snapshot.GrowableBytes;
import java.io.DataOutputStream;

/** A reusable buffer with a {@link DataOutputStream} on it, for serializing one entry's parts. One thread. */
final class Scratch extends GrowableBytes {
    final DataOutputStream data = new DataOutputStream(this);

    Scratch() {
        super(64);
    }
}
