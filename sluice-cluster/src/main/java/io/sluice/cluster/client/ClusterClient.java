package io.sluice.cluster.client;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.cluster.protocol.ControlChannels;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlMessages.StatusRequest;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.JobMessages.ActionKind;
import io.sluice.cluster.protocol.JobMessages.BlobChunk;
import io.sluice.cluster.protocol.JobMessages.BlobQuery;
import io.sluice.cluster.protocol.JobMessages.BlobState;
import io.sluice.cluster.protocol.JobMessages.JobAction;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.protocol.JobMessages.JobRef;
import io.sluice.cluster.protocol.JobMessages.SubmitJob;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.TlsDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What a command-line client asks a coordinator, with the cluster token on every call. Closed after use. */
public final class ClusterClient implements AutoCloseable {
    /** How long a savepoint request may take (the coordinator gives up a little earlier). */
    private static final long SAVEPOINT_CALL_MILLIS = 11 * 60_000;

    private final ManagedChannel channel;
    private final CallOptions options;
    private final String address;
    private final String tokenOrigin;

    /** A client of the coordinator at {@code host:port}, over mutual TLS with {@code tls} if present. */
    public ClusterClient(String host, int port, ClusterToken token, Optional<TlsDir> tls) throws IOException {
        this(host, port, token, tls, "");
    }

    /** @param tokenOrigin where the token came from (its file), named when the coordinator refuses it */
    public ClusterClient(String host, int port, ClusterToken token, Optional<TlsDir> tls, String tokenOrigin)
            throws IOException {
        this.address = host + ":" + port;
        this.tokenOrigin = tokenOrigin;
        this.channel = ControlChannels.open(host, port, tls);
        this.options = ControlChannels.authenticated(token);
    }

    /** The coordinator's address, as given. */
    public String address() {
        return address;
    }

    /** The coordinator's workers; fails naming the coordinator if it cannot be reached or refuses. */
    public StatusReply status() throws IOException {
        return call(ControlProtocol.STATUS, new StatusRequest(), ControlChannels.call(options));
    }

    /**
     * Puts a job's jar into the coordinator's blob store unless it holds it already (same content, same SHA-256);
     * returns the hash that names it.
     */
    public String uploadJar(Path jar) throws IOException {
        String sha256 = BlobStore.sha256(jar);
        if (call(ControlProtocol.HAS_BLOB, new BlobQuery(sha256), ControlChannels.call(options)).present()) {
            return sha256;
        }
        long total = Files.size(jar);
        try (InputStream in = Files.newInputStream(jar)) {
            long offset = 0;
            do {
                byte[] chunk = in.readNBytes((int) Math.min(BlobStore.CHUNK_BYTES, total - offset));
                BlobState state = call(ControlProtocol.PUT_BLOB, new BlobChunk(sha256, offset, chunk, total),
                        ControlChannels.call(options));
                offset += chunk.length;
                if (state.present()) {
                    return sha256;
                }
                if (chunk.length == 0) {
                    throw new IOException(jar + " ended after " + offset + " of " + total + " bytes while uploading it");
                }
            } while (true);
        }
    }

    /** Submits a job: its {@code run} arguments and the hashes of its uploaded jars; returns its id. */
    public String submit(List<String> argv, List<String> jars) throws IOException {
        return call(ControlProtocol.SUBMIT, new SubmitJob(argv, jars), ControlChannels.call(options)).jobId();
    }

    public JobInfo job(String jobId) throws IOException {
        return call(ControlProtocol.JOB, new JobRef(jobId), ControlChannels.call(options));
    }

    public List<JobInfo> jobs() throws IOException {
        return call(ControlProtocol.JOBS, new JobRef(""), ControlChannels.call(options)).jobs();
    }

    public void cancel(String jobId) throws IOException {
        call(ControlProtocol.ACT, new JobAction(jobId, ActionKind.CANCEL, ""), ControlChannels.call(options));
    }

    /** Takes a savepoint of a job into {@code directory} (and stops it, with {@code stop}); returns its path. */
    public String savepoint(String jobId, String directory, boolean stop) throws IOException {
        return call(ControlProtocol.ACT, new JobAction(jobId, stop ? ActionKind.STOP : ActionKind.SAVEPOINT, directory),
                options.withDeadlineAfter(SAVEPOINT_CALL_MILLIS, TimeUnit.MILLISECONDS)).path();
    }

    private <Q, R> R call(MethodDescriptor<Q, R> method, Q request, CallOptions callOptions) throws IOException {
        try {
            return ClientCalls.blockingUnaryCall(channel, method, callOptions, request);
        } catch (StatusRuntimeException e) {
            String description = e.getStatus().getDescription();
            throw new IOException(switch (e.getStatus().getCode()) {
                case INVALID_ARGUMENT, FAILED_PRECONDITION -> description;
                case UNAUTHENTICATED -> "the coordinator at " + address + " refused the cluster token"
                        + (tokenOrigin.isEmpty() ? "" : " " + tokenOrigin) + ": " + ControlChannels.describe(e);
                default -> "the coordinator at " + address + " did not answer: " + ControlChannels.describe(e);
            }, e);
        }
    }

    @Override
    public void close() {
        ControlChannels.close(channel);
    }
}
