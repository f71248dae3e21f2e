package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.types.Types;
import io.sluice.network.tls.ClusterCa;
import io.sluice.network.tls.TlsDir;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.plan.ChannelId;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data connections with mutual TLS ({@link NetworkConfig#withTls}): records cross a TLS connection between two
 * processes' certificates of one CA; a peer speaking plain TCP, one without a certificate, one with a certificate of
 * another CA are each refused with one line naming the peer, while the server goes on serving; and a client refuses a
 * server whose certificate is of another CA or does not name the host it dialed.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class TlsChannelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final NetworkConfig BASE = NetworkConfig.defaults().withHandshakeTimeout(Duration.ofSeconds(2));

    private final JobId job = JobId.random();
    private int nextChannel;

    private RemoteChannelId channel() {
        return new RemoteChannelId(job, 0, new ChannelId(0, nextChannel++, 0));
    }

    private static NetworkConfig tls(Path dir, String name) throws IOException {
        return BASE.withTls(TlsDir.load(dir, name));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within " + TIMEOUT + ": " + what);
            Thread.sleep(10);
        }
    }

    /** Sends records and the end of input on a new channel of {@code net}, and checks they all arrive in order. */
    private void carries(Loopback net, int records) throws Exception {
        Loopback.Link link = net.link(channel(), Types.STRING, 2);
        List<ChannelElement> sent = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            sent.add(Elements.batch("record " + i));
        }
        sent.add(ControlEvent.EndOfInput.INSTANCE);
        Thread producer = Thread.ofPlatform().name("tls producer").start(() -> {
            try {
                for (ChannelElement e : sent) {
                    Elements.send(link.out(), e, TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<ChannelElement> received = Elements.untilEnd(link.in(), link.wakeup(), Duration.ofMillis(50), TIMEOUT);
        producer.join(TIMEOUT.toMillis());
        assertEquals(Elements.flatten(sent), Elements.flatten(received));
        link.in().close();
    }

    @Test
    void recordsCrossAMutualTlsConnectionAndPeersWithoutAGoodCertificateAreRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tls");
        Path other = tmp.resolve("other");
        ClusterCa.ensure(dir, List.of("worker-1", "worker-2"), ClusterCa.LOOPBACK);
        ClusterCa.ensure(other, List.of("worker-2"), ClusterCa.LOOPBACK);
        try (Loopback net = Loopback.start(tls(dir, "worker-1"), tls(dir, "worker-2"))) {
            carries(net, 200);
            NetworkServer server = net.server;

            // plain TCP, even with the right token: refused before the token is read
            try (RawPeer plain = new RawPeer(server.address())) {
                plain.send(Handshake.encode(ByteBufAllocator.DEFAULT, net.token));
                assertTrue(plain.closedByServer(), "a plain TCP peer is closed");
            }
            await(() -> server.events().refusedConnections() == 1, "the plain peer is refused");
            assertTrue(server.events().recent().getLast().contains("does not speak TLS"), server.events().recent().toString());

            // TLS without a certificate: its own handshake seems to succeed (TLS 1.3), then the server refuses it
            TlsDir cluster = TlsDir.load(dir, "worker-1");
            try (SSLSocket socket = rawTls(cluster, null, server.address())) {
                assertFalse(answers(socket, net.token), "a peer without a certificate gets no answer");
            }
            await(() -> server.events().refusedConnections() == 2, "the peer without a certificate is refused");
            String refusal = server.events().recent().getLast();
            assertTrue(refusal.contains("refused the data connection from /127.0.0.1:") && refusal.contains("TLS handshake failed"),
                    refusal);

            // a certificate of another CA (trusting the cluster's CA), and the right token
            try (SSLSocket socket = rawTls(cluster, TlsDir.load(other, "worker-2"), server.address())) {
                assertFalse(answers(socket, net.token), "a peer with a certificate of another CA gets no answer");
            }
            await(() -> server.events().refusedConnections() == 3, "the stranger is refused");
            refusal = server.events().recent().getLast();
            assertTrue(refusal.contains("its TLS handshake failed: the peer's certificate is not signed by the cluster CA"),
                    refusal);

            carries(net, 10); // the server goes on serving its own
            assertEquals(3, server.events().refusedConnections());
            assertEquals(0, server.events().protocolViolations());
        }
    }

    @Test
    void aClientRefusesAServerOfAnotherCaOrOneNamingAnotherHost(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tls");
        Path other = tmp.resolve("other");
        ClusterCa.ensure(dir, List.of("client"), ClusterCa.LOOPBACK);
        ClusterCa.ensure(dir, List.of("elsewhere"), List.of("elsewhere.invalid"));
        ClusterCa.ensure(other, List.of("server"), ClusterCa.LOOPBACK);

        try (Loopback net = Loopback.start(tls(other, "server"), tls(dir, "client"))) {
            IOException e = assertThrows(IOException.class,
                    () -> net.client.openOutput(net.server.address(), channel(), Types.STRING));
            assertTrue(e.getMessage().contains("the TLS handshake with the data server at " + net.server.address() + " failed"),
                    e.getMessage());
            assertTrue(net.client.events().protocolViolations() >= 1, "counted on the client's side");
        }
        try (Loopback net = Loopback.start(tls(dir, "elsewhere"), tls(dir, "client"))) {
            IOException e = assertThrows(IOException.class,
                    () -> net.client.openOutput(net.server.address(), channel(), Types.STRING));
            assertTrue(e.getMessage().contains("127.0.0.1"), "the host its certificate does not name: " + e.getMessage());
        }
    }

    @Test
    void aPlainClientAndATlsServerDoNotTalk(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tls");
        ClusterCa.ensure(dir, List.of("worker-1"), ClusterCa.LOOPBACK);
        try (Loopback net = Loopback.start(BASE, tls(dir, "worker-1"))) { // a plain server, a TLS client
            IOException e = assertThrows(IOException.class,
                    () -> net.client.openOutput(net.server.address(), channel(), Types.STRING));
            assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        }
        try (Loopback net = Loopback.start(tls(dir, "worker-1"), BASE)) { // a TLS server, a plain client
            assertThrows(IOException.class, () -> net.client.openOutput(net.server.address(), channel(), Types.STRING));
            await(() -> net.server.events().refusedConnections() == 1, "the plain client is refused");
        }
    }

    /**
     * A TLS socket that trusts the CA of {@code trusting} and presents the certificate of {@code identity} (none if
     * {@code null}), whatever CA signed it.
     */
    private static SSLSocket rawTls(TlsDir trusting, TlsDir identity, InetSocketAddress server) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusting.ca());
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(identity == null ? null : new KeyManager[] {identity.clientKeyManager()}, factory.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(server.getAddress(), server.getPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Whether the server answers the token's handshake on {@code socket} (false: it closed or broke the connection). */
    private static boolean answers(SSLSocket socket, ClusterToken token) throws IOException {
        try {
            socket.startHandshake();
            ByteBuf hello = Handshake.encode(ByteBufAllocator.DEFAULT, token);
            byte[] bytes = new byte[hello.readableBytes()];
            hello.readBytes(bytes);
            hello.release();
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return in.read() >= 0;
        } catch (SSLException | java.net.SocketException e) {
            return false;
        }
    }
}
