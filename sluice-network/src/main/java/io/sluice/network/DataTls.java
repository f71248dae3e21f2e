package io.sluice.network;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.sluice.network.tls.TlsDir;
import io.sluice.network.tls.TlsFailures;
import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS on data connections ({@link NetworkConfig#tls()}): the contexts of both sides, made once per server or
 * connection manager, and what a TLS failure says in a log line. TLS 1.3 with the JDK's provider (no native library);
 * the cluster CA is the only trust anchor; the server requires a client certificate; the client checks that the
 * server's certificate names the host it dialed.
 */
final class DataTls {
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private DataTls() {}

    static SslContext server(TlsDir tls) throws IOException {
        try {
            return SslContextBuilder.forServer(tls.key(), tls.chainArray())
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .trustManager(tls.ca()).clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException e) {
            throw new IOException("cannot serve data connections with the " + tls + ": " + e.getMessage(), e);
        }
    }

    static SslContext client(TlsDir tls) throws IOException {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .keyManager(tls.clientKeyManager())
                    .trustManager(tls.ca()).endpointIdentificationAlgorithm("HTTPS")
                    .build();
        } catch (SSLException e) {
            throw new IOException("cannot open data connections with the " + tls + ": " + e.getMessage(), e);
        }
    }

    /** The TLS failure in {@code cause}'s chain, or {@code null} if it is something else. */
    static SSLException failure(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SSLException e) {
                return e;
            }
        }
        return null;
    }

    /** One line on a TLS failure ({@link TlsFailures}). */
    static String describe(Throwable cause) {
        SSLException e = failure(cause);
        return TlsFailures.describe(e != null ? e : cause);
    }
}
