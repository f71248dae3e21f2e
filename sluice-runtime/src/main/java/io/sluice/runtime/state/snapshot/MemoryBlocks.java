package io.sluice.runtime.state.snapshot;

import io.sluice.runtime.state.KeyedStateSnapshot;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Blocks kept in memory, one array per key group: a checkpoint's keyed state, stored in the operator's state file. */
final class MemoryBlocks implements BlockSink {
    private final Map<Integer, byte[]> blocks = new HashMap<>();
    private final GrowableBytes bytes = new GrowableBytes(4096);
    private final DataOutputStream out = new DataOutputStream(bytes);
    private int keyGroup;

    @Override
    public DataOutputStream startBlock(int keyGroup) throws IOException {
        this.keyGroup = keyGroup;
        bytes.reset();
        out.writeInt(CanonicalFormat.BLOCK_MAGIC);
        return out;
    }

    @Override
    public void endBlock() throws IOException {
        out.flush();
        blocks.put(keyGroup, bytes.toByteArray());
    }

    @Override
    public KeyedStateSnapshot finish() {
        return new KeyedStateSnapshot(blocks);
    }

    @Override
    public void close() {}
}
