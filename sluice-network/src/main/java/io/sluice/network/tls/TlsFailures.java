package io.sluice.network.tls;

import java.nio.channels.ClosedChannelException;

/**
 * What a failed TLS handshake says in one log line, the same on the data plane (Netty) and the control plane (gRPC's
 * shaded Netty): a peer speaking plain TCP is said so (Netty's message is a hex dump of its bytes), and so are a
 * certificate of another CA (the JDK's message is about path building) and a connection closed before TLS was agreed.
 */
public final class TlsFailures {
    private TlsFailures() {}

    public static String describe(Throwable cause) {
        Throwable root = cause;
        boolean plain = false;
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            plain |= c.getClass().getSimpleName().equals("NotSslRecordException"); // shaded or not
            root = c;
        }
        if (plain) {
            return "it does not speak TLS (plain TCP?)";
        }
        if (root instanceof ClosedChannelException) {
            return "the connection closed during the TLS handshake (does the peer speak TLS?)";
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (message.contains("PKIX path")) {
            return "the peer's certificate is not signed by the cluster CA (" + message + ")";
        }
        if (message.contains("Received fatal alert: certificate_unknown") || message.contains("Received fatal alert: bad_certificate")) {
            return "the peer does not trust this process's certificate (" + message + ")";
        }
        String rootMessage = root.getMessage();
        return rootMessage == null || message.contains(rootMessage) ? message : message + " (" + rootMessage + ")";
    }
}
