package io.sluice.cluster.protocol;

import io.grpc.MethodDescriptor;
import io.sluice.cluster.protocol.ControlMessages.Heartbeat;
import io.sluice.cluster.protocol.ControlMessages.HeartbeatReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlMessages.StatusRequest;
import io.sluice.cluster.protocol.JobMessages.ActionReply;
import io.sluice.cluster.protocol.JobMessages.BlobChunk;
import io.sluice.cluster.protocol.JobMessages.BlobQuery;
import io.sluice.cluster.protocol.JobMessages.BlobRead;
import io.sluice.cluster.protocol.JobMessages.BlobState;
import io.sluice.cluster.protocol.JobMessages.JobAction;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.protocol.JobMessages.JobList;
import io.sluice.cluster.protocol.JobMessages.JobRef;
import io.sluice.cluster.protocol.JobMessages.SubmitJob;
import io.sluice.cluster.protocol.JobMessages.WorkerCommand;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The gRPC methods of the coordinator's {@code sluice.cluster.Control} service, declared without generated code. */
public final class ControlProtocol {
    public static final String SERVICE = "sluice.cluster.Control";
    /** The largest control message accepted: state travels by reference, never inside one. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private ControlProtocol() {}

    public static final MethodDescriptor<RegisterRequest, RegisterReply> REGISTER =
            unary("Register", RegisterRequest::read, RegisterReply::read);
    public static final MethodDescriptor<Heartbeat, HeartbeatReply> BEAT = unary("Beat", Heartbeat::read, HeartbeatReply::read);
    public static final MethodDescriptor<StatusRequest, StatusReply> STATUS =
            unary("Status", StatusRequest::read, StatusReply::read);

    /** Is a blob (a job's jar) complete at the coordinator? */
    public static final MethodDescriptor<BlobQuery, BlobState> HAS_BLOB = unary("HasBlob", BlobQuery::read, BlobState::read);
    /** Uploads the next chunk of a blob (in order; the last one completes it, checked against its SHA-256). */
    public static final MethodDescriptor<BlobChunk, BlobState> PUT_BLOB = unary("PutBlob", BlobChunk::read, BlobState::read);
    /** Reads a chunk of a complete blob. */
    public static final MethodDescriptor<BlobRead, BlobChunk> GET_BLOB = unary("GetBlob", BlobRead::read, BlobChunk::read);
    public static final MethodDescriptor<SubmitJob, JobRef> SUBMIT = unary("Submit", SubmitJob::read, JobRef::read);
    public static final MethodDescriptor<JobRef, JobInfo> JOB = unary("Job", JobRef::read, JobInfo::read);
    public static final MethodDescriptor<JobRef, JobList> JOBS = unary("Jobs", JobRef::read, JobList::read);
    public static final MethodDescriptor<JobAction, ActionReply> ACT = unary("Act", JobAction::read, ActionReply::read);
    /**
     * A worker's control stream: it sends {@code ATTACH} first, then its jobs' events; the coordinator sends it
     * commands, in the order they were decided.
     */
    public static final MethodDescriptor<WorkerEvent, WorkerCommand> ATTACH = MethodDescriptor.<WorkerEvent, WorkerCommand>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Attach"))
            .setRequestMarshaller(new Marshaller<>(WorkerEvent::read))
            .setResponseMarshaller(new Marshaller<>(WorkerCommand::read))
            .build();

    private static <Q extends ProtoMessage, R extends ProtoMessage> MethodDescriptor<Q, R> unary(String name,
            ProtoMessage.Reader<Q> request, ProtoMessage.Reader<R> reply) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(new Marshaller<>(request))
                .setResponseMarshaller(new Marshaller<>(reply))
                .build();
    }

    /**
     * {@code method} as the coordinator serves it: its requests arrive as {@link Received}, so that bytes that are not
     * a message of its kind reach the handler, which refuses them with the reason (a marshaller that threw would close
     * the call with gRPC's {@code UNKNOWN "Application error processing RPC"} and a stack trace in the log).
     */
    @SuppressWarnings("unchecked")
    public static <Q extends ProtoMessage, R> MethodDescriptor<Received<Q>, R> served(MethodDescriptor<Q, R> method) {
        Marshaller<Q> requests = (Marshaller<Q>) method.getRequestMarshaller();
        return method.toBuilder(new ReceivedMarshaller<>(requests.reader()), method.getResponseMarshaller()).build();
    }

    /** Bytes of a hand-encoded message; bytes that are not one fail to parse (clients: the coordinator's replies). */
    private record Marshaller<T extends ProtoMessage>(ProtoMessage.Reader<T> reader)
            implements MethodDescriptor.Marshaller<T> {
        @Override
        public InputStream stream(T value) {
            return new ByteArrayInputStream(value.toBytes());
        }

        @Override
        public T parse(InputStream stream) {
            try {
                return reader.read(stream);
            } catch (IOException e) {
                throw new UncheckedIOException("a malformed control message: " + e.getMessage(), e);
            }
        }
    }

    /** A request's bytes read on the server: the message, or what is wrong with them. */
    private record ReceivedMarshaller<T extends ProtoMessage>(ProtoMessage.Reader<T> reader)
            implements MethodDescriptor.Marshaller<Received<T>> {
        @Override
        public InputStream stream(Received<T> value) {
            return new ByteArrayInputStream(value.message().toBytes());
        }

        @Override
        public Received<T> parse(InputStream stream) {
            try {
                return Received.of(reader.read(stream));
            } catch (IOException | RuntimeException e) {
                return Received.malformed(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            }
        }
    }
}
