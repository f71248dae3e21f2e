package io.sluice.runtime.state.snapshot;

import io.sluice.runtime.state.KeyedStateSnapshot;
import java.io.DataOutputStream;
import java.io.IOException;

/** Where a {@link CanonicalSnapshotWriter}'s key-group blocks go: memory (checkpoints) or a file (savepoints). */
interface BlockSink {

    /** Starts the block of {@code keyGroup} (ascending), its magic written; the writer writes its sections into it. */
    DataOutputStream startBlock(int keyGroup) throws IOException;

    /** The block started last is complete. */
    void endBlock() throws IOException;

    /** Every block is written: the snapshot. */
    KeyedStateSnapshot finish() throws IOException;

    /** Frees what an unfinished sink holds (a partial file is deleted). After {@link #finish()}, does nothing. */
    void close();
}
