package io.sluice.cluster.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ClientCalls;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.protocol.ControlChannels;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlMessages.StatusRequest;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.worker.Worker;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.ClusterCa;
import io.sluice.network.tls.TlsDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane with mutual TLS, over real gRPC on loopback: a worker and a client with certificates of the
 * cluster CA are served; a plain-TCP client, a TLS client without a certificate, one with a certificate of another CA
 * and one that has the right certificate but not the token are each refused while the coordinator goes on serving;
 * and a worker refuses a coordinator whose certificate does not name the host it dialed.
 */
@Timeout(60)
class CoordinatorTlsTest {
    private static final Coordinator.Settings FAST = new Coordinator.Settings("127.0.0.1", 0, 50, 400);
    private static final List<String> NAMES = List.of("coordinator", "worker-1", "client");

    private static RegisterRequest registration() {
        return RegisterRequest.newInstance("127.0.0.1", 0, 1, ProcessHandle.current().pid());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within 10 s: " + what);
            Thread.sleep(10);
        }
    }

    private static Coordinator start(Path dir, ClusterToken token) throws IOException {
        return Coordinator.start(FAST.withTls(TlsDir.load(dir.resolve("tls"), "coordinator")), token,
                dir.resolve("coordinator"), new Jobs.Settings(dir, 1_000, JobMains.none()));
    }

    @Test
    void aWorkerAndAClientWithCertificatesOfTheClusterCaAreServed(@TempDir Path dir) throws Exception {
        Path tls = dir.resolve("tls");
        ClusterCa.ensure(tls, NAMES, ClusterCa.LOOPBACK);
        ClusterToken token = ClusterToken.create(dir.resolve("token"));
        try (Coordinator coordinator = start(dir, token);
                Worker worker = Worker.join("127.0.0.1", coordinator.address().getPort(), token,
                        Optional.of(TlsDir.load(tls, "worker-1")), registration(), dir.resolve("w"), () -> {});
                ClusterClient client = new ClusterClient("localhost", coordinator.address().getPort(), token,
                        Optional.of(TlsDir.load(tls, "client")))) {
            assertEquals(List.of(worker.workerId()), client.status().workers().stream().map(WorkerStatus::workerId).toList());
            assertEquals(0, coordinator.refusedTlsConnections());
        }
    }

    @Test
    void callersWithoutAGoodCertificateOrTheTokenAreRefusedAndTheCoordinatorServesOthers(@TempDir Path dir) throws Exception {
        Path tls = dir.resolve("tls");
        Path other = dir.resolve("other");
        ClusterCa.ensure(tls, NAMES, ClusterCa.LOOPBACK);
        ClusterCa.ensure(other, List.of("client"), ClusterCa.LOOPBACK);
        ClusterToken token = ClusterToken.create(dir.resolve("token"));
        try (Coordinator coordinator = start(dir, token)) {
            int port = coordinator.address().getPort();
            TlsDir cluster = TlsDir.load(tls, "client");

            try (ClusterClient plain = new ClusterClient("127.0.0.1", port, token, Optional.empty())) {
                IOException e = assertThrows(IOException.class, plain::status);
                assertTrue(e.getMessage().startsWith("the coordinator at 127.0.0.1:" + port + " did not answer: UNAVAILABLE"),
                        e.getMessage());
            }
            await(() -> coordinator.refusedTlsConnections() >= 1, "the plain client is refused");

            long before = coordinator.refusedTlsConnections();
            StatusRuntimeException noCertificate = assertThrows(StatusRuntimeException.class,
                    () -> status(SslContextBuilder.forClient().trustManager(cluster.ca()), port, token));
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, noCertificate.getStatus().getCode());
            await(() -> coordinator.refusedTlsConnections() > before, "the client without a certificate is refused");

            long before2 = coordinator.refusedTlsConnections();
            TlsDir stranger = TlsDir.load(other, "client");
            StatusRuntimeException otherCa = assertThrows(StatusRuntimeException.class, () -> status(
                    SslContextBuilder.forClient().keyManager(stranger.clientKeyManager()).trustManager(cluster.ca()), port, token));
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, otherCa.getStatus().getCode());
            await(() -> coordinator.refusedTlsConnections() > before2, "the client of another CA is refused");

            try (ClusterClient ofAnotherCluster = new ClusterClient("127.0.0.1", port, token, Optional.of(stranger))) {
                IOException e = assertThrows(IOException.class, ofAnotherCluster::status);
                assertTrue(e.getMessage().contains("not signed by the cluster CA"), "it does not trust the coordinator: "
                        + e.getMessage());
            }

            try (ClusterClient noToken = new ClusterClient("127.0.0.1", port, ClusterToken.random(), Optional.of(cluster))) {
                IOException e = assertThrows(IOException.class, noToken::status);
                assertTrue(e.getMessage().contains("UNAUTHENTICATED"), "TLS does not replace the token: " + e.getMessage());
            }

            try (Worker good = Worker.join("127.0.0.1", port, token, Optional.of(TlsDir.load(tls, "worker-1")),
                    registration(), dir.resolve("w"), () -> {})) {
                assertEquals(List.of(good.workerId()),
                        coordinator.registry().status().stream().map(WorkerStatus::workerId).toList());
            }
        }
    }

    @Test
    void aWorkerRefusesACoordinatorWhoseCertificateNamesAnotherHost(@TempDir Path dir) throws Exception {
        Path tls = dir.resolve("tls");
        ClusterCa.ensure(tls, List.of("coordinator"), List.of("elsewhere.invalid"));
        ClusterCa.ensure(tls, List.of("worker-1"), ClusterCa.LOOPBACK);
        ClusterToken token = ClusterToken.create(dir.resolve("token"));
        try (Coordinator coordinator = start(dir, token)) {
            IOException e = assertThrows(IOException.class, () -> Worker.join("127.0.0.1", coordinator.address().getPort(),
                    token, Optional.of(TlsDir.load(tls, "worker-1")), registration(), dir.resolve("w"), () -> {}));
            assertTrue(e.getMessage().startsWith("cannot register with the coordinator at 127.0.0.1:"), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1 found"), "the name its certificate lacks: " + e.getMessage());
            assertEquals(List.of(), coordinator.registry().status());
        }
    }

    /** A status call over a TLS channel built from {@code tls}, with the token. */
    private static void status(SslContextBuilder tls, int port, ClusterToken token) throws IOException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(GrpcSslContexts.configure(tls).build()).build();
        try {
            ClientCalls.blockingUnaryCall(channel, ControlProtocol.STATUS,
                    ControlChannels.call(ControlChannels.authenticated(token)), new StatusRequest());
        } finally {
            ControlChannels.close(channel);
        }
    }
}
