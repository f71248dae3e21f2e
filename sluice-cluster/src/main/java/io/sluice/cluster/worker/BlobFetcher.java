package io.sluice.cluster.worker;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.cluster.protocol.ControlChannels;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.JobMessages.BlobChunk;
import io.sluice.cluster.protocol.JobMessages.BlobRead;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Gets job jars from the coordinator into this worker's own blob store, once per content hash: a jar used by many
 * jobs or attempts is fetched the first time only, and checked against its hash. Thread-safe.
 */
final class BlobFetcher {
    private final ManagedChannel channel;
    private final CallOptions options;
    private final BlobStore local;

    BlobFetcher(ManagedChannel channel, CallOptions options, BlobStore local) {
        this.channel = channel;
        this.options = options;
        this.local = local;
    }

    /** The local file of blob {@code sha256}, fetched first if this worker does not have it. */
    Path fetch(String sha256) throws IOException {
        synchronized (this) { // one fetch at a time: two jobs needing one jar fetch it once
            if (!local.has(sha256)) {
                long offset = 0;
                for (int chunks = 0; ; chunks++) {
                    if (chunks > BlobStore.MAX_BYTES / BlobStore.CHUNK_BYTES + 1) {
                        throw new IOException("blob " + sha256 + " did not end after " + chunks + " chunks");
                    }
                    BlobChunk chunk;
                    try {
                        chunk = ClientCalls.blockingUnaryCall(channel, ControlProtocol.GET_BLOB, ControlChannels.call(options),
                                new BlobRead(sha256, offset));
                    } catch (StatusRuntimeException e) {
                        throw new IOException("cannot fetch the job's jar " + sha256 + ": " + ControlChannels.describe(e), e);
                    }
                    if (local.append(sha256, offset, chunk.data(), chunk.total())) {
                        break;
                    }
                    if (chunk.data().length == 0) {
                        throw new IOException("blob " + sha256 + " ended at " + offset + " of " + chunk.total() + " bytes");
                    }
                    offset += chunk.data().length;
                }
            }
            return local.path(sha256);
        }
    }
}
