package io.sluice.cluster.protocol;

import io.grpc.MethodDescriptor;
import io.sluice.cluster.protocol.ControlMessages.Heartbeat;
import io.sluice.cluster.protocol.ControlMessages.HeartbeatReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlMessages.StatusRequest;
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

    private static <Q extends ProtoMessage, R extends ProtoMessage> MethodDescriptor<Q, R> unary(String name,
            ProtoMessage.Reader<Q> request, ProtoMessage.Reader<R> reply) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(new Marshaller<>(request))
                .setResponseMarshaller(new Marshaller<>(reply))
                .build();
    }

    /** Bytes of a hand-encoded message; a malformed one is refused by gRPC as an invalid argument. */
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
}
