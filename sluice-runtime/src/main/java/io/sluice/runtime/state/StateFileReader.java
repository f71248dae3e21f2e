package io.sluice.runtime.state;

import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the files a restored keyed snapshot names ({@link KeyedStateFiles}), verifying size and checksum as the
 * checkpoint's storage does. Thread-safe; each stream is read by one thread.
 */
@FunctionalInterface
public interface StateFileReader {

    /** Opens {@code file} of the checkpoint being restored. */
    InputStream open(StateFileHandle file) throws IOException;
}
