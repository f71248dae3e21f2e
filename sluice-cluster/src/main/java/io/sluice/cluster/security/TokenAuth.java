package io.sluice.cluster.security;

import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.sluice.network.ClusterToken;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster token on gRPC calls: clients present it as {@code authorization: Bearer <token>}
 * ({@link #credentials}), servers refuse a call without it before any handler runs ({@link #interceptor}), with one
 * log line naming the peer (never the token).
 */
public final class TokenAuth {
    private static final Logger LOG = LoggerFactory.getLogger(TokenAuth.class);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private TokenAuth() {}

    /** Adds the token to every call of a stub. */
    public static CallCredentials credentials(ClusterToken token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, BEARER + token.hex());
                applier.apply(headers);
            }
        };
    }

    /** Refuses (UNAUTHENTICATED) every call that does not present {@code token}. */
    public static ServerInterceptor interceptor(ClusterToken token) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String presented = headers.get(AUTHORIZATION);
                if (presented == null || !presented.startsWith(BEARER) || !token.matches(presented.substring(BEARER.length()))) {
                    String reason = presented == null ? "no cluster token presented" : "not this cluster's token";
                    LOG.warn("Refused {} from {}: {}", call.getMethodDescriptor().getFullMethodName(),
                            call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), reason);
                    call.close(Status.UNAUTHENTICATED.withDescription(reason), new Metadata());
                    return new ServerCall.Listener<>() {};
                }
                return next.startCall(call, headers);
            }
        };
    }
}
