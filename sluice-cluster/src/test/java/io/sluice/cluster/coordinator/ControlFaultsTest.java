package io.sluice.cluster.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.api.EnvironmentSettings;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.cluster.blob.BlobStore;
import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.protocol.ControlChannels;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.cluster.protocol.ControlProtocol;
import io.sluice.cluster.protocol.JobMessages.BlobChunk;
import io.sluice.cluster.protocol.JobMessages.BlobQuery;
import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import io.sluice.cluster.worker.Worker;
import io.sluice.network.ClusterToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at the control protocol over real gRPC on loopback, each refused with a status that says why while the
 * coordinator keeps serving: a worker process that registers twice (its first registration stays and runs jobs; one
 * declared lost registers again as a new worker), a second control stream for a worker, bytes that are not a message,
 * an oversized message, garbage on the port, blob chunks out of order, with a wrong SHA-256 or a name that is not one, and a wrong token.
 */
@Timeout(60)
class ControlFaultsTest {
    private static final Coordinator.Settings FAST = new Coordinator.Settings("127.0.0.1", 0, 100, 2_000);
    /** Numbers each test job reads, and how fast (long enough for two jobs to run at once). */
    private static final long N = 6_000;
    private static final double RATE = 4_000;

    @TempDir
    Path dir;

    private final Map<String, CollectSink<Long>> sinks = new ConcurrentHashMap<>();
    private ClusterToken token;
    private Coordinator coordinator;
    private ManagedChannel channel;

    /** Runs a job named by its first argument: 1..N doubled, on one slot. */
    private void runJob(List<String> argv, List<Path> jars, io.sluice.api.execution.JobExecutor executor) throws Exception {
        StreamEnvironment env = StreamEnvironment.create(EnvironmentSettings.defaults().withExecutor(executor))
                .setParallelism(1);
        CollectSink<Long> sink = new CollectSink<>();
        sinks.put(argv.getFirst(), sink);
        env.generateSequence(1, N, RATE).map(new Doubling(), Types.LONG).sinkTo(sink);
        env.execute(argv.getFirst());
    }

    /** Doubles. */
    static final class Doubling implements MapFunction<Long, Long> {
        @Override
        public Long map(Long v) {
            return v * 2;
        }
    }

    @BeforeEach
    void start() throws IOException {
        token = ClusterToken.create(dir.resolve("token"));
        coordinator = Coordinator.start(FAST, token, dir.resolve("coordinator"), new Jobs.Settings(dir, 10_000, this::runJob));
        channel = ControlChannels.open("127.0.0.1", port(), java.util.Optional.empty());
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            ControlChannels.close(channel);
        }
        if (coordinator != null) {
            coordinator.close();
        }
        sinks.values().forEach(CollectSink::clear);
    }

    private int port() {
        return coordinator.address().getPort();
    }

    private CallOptions call() {
        return ControlChannels.call(ControlChannels.authenticated(token));
    }

    private Worker join(String name, int slots) throws IOException {
        return join(name, RegisterRequest.newInstance("127.0.0.1", 4711, slots, ProcessHandle.current().pid()));
    }

    private Worker join(String name, RegisterRequest registration) throws IOException {
        return Worker.join("127.0.0.1", port(), token, java.util.Optional.empty(), registration, dir.resolve(name),
                () -> {});
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within 20 s: " + what);
            Thread.sleep(10);
        }
    }

    private List<String> liveWorkers() {
        return coordinator.registry().status().stream().map(WorkerStatus::workerId).toList();
    }

    /** Runs jobs named {@code names} at once and waits until they finished exactly; the workers each ran on. */
    private Set<String> runJobs(ClusterClient client, String... names) throws Exception {
        Map<String, String> ids = new ConcurrentHashMap<>();
        for (String name : names) {
            ids.put(name, client.submit(List.of(name), List.of()));
        }
        Set<String> workers = ConcurrentHashMap.newKeySet();
        await(() -> {
            try {
                for (JobInfo j : client.jobs()) {
                    if (j.state().equals("RUNNING")) {
                        workers.add(j.worker());
                    }
                }
                return ids.values().stream().allMatch(id -> {
                    try {
                        return client.job(id).state().equals("FINISHED");
                    } catch (IOException e) {
                        return false;
                    }
                });
            } catch (IOException e) {
                return false;
            }
        }, "jobs " + ids + " finish");
        List<Long> expected = LongStream.rangeClosed(1, N).map(v -> v * 2).boxed().toList();
        for (String name : names) {
            assertEquals(expected, sinks.get(name).results(), "job " + name + "'s output");
        }
        return workers;
    }

    @Test
    void aWorkerInstanceThatRegistersTwiceIsRefusedAndItsFirstRegistrationKeepsRunningJobs() throws Exception {
        RegisterRequest once = RegisterRequest.newInstance("127.0.0.1", 4711, 1, ProcessHandle.current().pid());
        try (Worker first = join("w1", once);
                ClusterClient client = new ClusterClient("127.0.0.1", port(), token, java.util.Optional.empty())) {
            String refusal = "worker instance " + once.instanceId() + " (pid " + once.pid() + ", data port 4711) is "
                    + "registered already as " + first.workerId() + " (pid " + once.pid() + ", data port 4711), which "
                    + "is live";
            IOException second = assertThrows(IOException.class, () -> join("w2", once).close());
            assertTrue(second.getMessage().startsWith("cannot register with the coordinator at 127.0.0.1:" + port()
                    + ": ALREADY_EXISTS (" + refusal), second.getMessage());
            StatusRuntimeException raw = assertThrows(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(channel, ControlProtocol.REGISTER, call(), once));
            assertRefused(Status.Code.ALREADY_EXISTS, refusal, raw.getStatus());
            assertEquals(List.of(first.workerId()), liveWorkers(), "no second worker");
            assertEquals(Set.of(first.workerId()), runJobs(client, "a"), "the first registration runs jobs");
            Thread.sleep(2 * FAST.heartbeatTimeoutMillis());
            assertEquals(List.of(first.workerId()), liveWorkers(), "it keeps beating");
            assertEquals(Set.of(first.workerId()), runJobs(client, "b"));
        }
    }

    @Test
    void aWorkerDeclaredLostRegistersAgainUnderItsInstanceIdAsANewWorker() throws Exception {
        try (Worker worker = join("w1", 1);
                ClusterClient client = new ClusterClient("127.0.0.1", port(), token, java.util.Optional.empty())) {
            String before = worker.workerId();
            assertEquals(Set.of(before), runJobs(client, "before"), "attached: its control stream carries jobs");
            assertTrue(coordinator.registry().remove(before, "the test declares it lost"));
            // Its control stream is ended and its next heartbeat answered known=false: it registers again, with the
            // instance id its first registration had, which is no longer live.
            await(() -> !worker.workerId().equals(before) && liveWorkers().equals(List.of(worker.workerId())),
                    "the worker registers again");
            assertNotEquals(before, worker.workerId());
            assertEquals(Set.of(worker.workerId()), runJobs(client, "after"), "the new registration runs jobs");
        }
    }

    /** Raw bytes as messages of {@code method}'s name and type. */
    private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return method.toBuilder(bytes, bytes).build();
    }

    /** Opens a control stream, sends {@code first}, and returns how the coordinator ended it. */
    private CompletableFuture<Status> attach(byte[] first) {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<byte[]> out = ClientCalls.asyncBidiStreamingCall(channel.newCall(raw(ControlProtocol.ATTACH),
                ControlChannels.authenticated(token)), new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] command) {}

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        out.onNext(first);
        return ended;
    }

    private static void assertRefused(Status.Code code, String fragment, Status status) {
        assertEquals(code, status.getCode(), status.toString());
        assertTrue(status.getDescription() != null && status.getDescription().contains(fragment),
                "'" + fragment + "' in " + status);
    }

    @Test
    void aSecondControlStreamForAWorkerIsRefusedAndTheFirstKeepsWorking() throws Exception {
        try (Worker worker = join("w1", 1); ClusterClient client = new ClusterClient("127.0.0.1", port(), token, java.util.Optional.empty())) {
            String id = worker.workerId();
            Status second = attach(WorkerEvent.of(EventKind.ATTACH, id, "", 0, 0, "").toBytes()).get(10, TimeUnit.SECONDS);
            assertRefused(Status.Code.FAILED_PRECONDITION, "a second control stream for " + id, second);
            Status stranger = attach(WorkerEvent.of(EventKind.ATTACH, "worker-99", "", 0, 0, "").toBytes())
                    .get(10, TimeUnit.SECONDS);
            assertRefused(Status.Code.FAILED_PRECONDITION, "not the attach of a registered worker", stranger);
            Status notFirst = attach(WorkerEvent.of(EventKind.RUNNING, id, "job-1", 0, 0, "").toBytes())
                    .get(10, TimeUnit.SECONDS);
            assertRefused(Status.Code.FAILED_PRECONDITION, "began with RUNNING", notFirst);
            assertEquals(List.of(id), liveWorkers());
            assertEquals(Set.of(id), runJobs(client, "after"), "the worker's own stream still carries its jobs");
        }
    }

    @Test
    void bytesThatAreNoMessageAnOversizedMessageAndGarbageAreRefusedAndTheCoordinatorKeepsServing() throws Exception {
        try (Worker worker = join("w1", 1); ClusterClient client = new ClusterClient("127.0.0.1", port(), token, java.util.Optional.empty())) {
            byte[] garbage = {(byte) 0xff, (byte) 0xff, 1, 2, 3};
            for (MethodDescriptor<?, ?> method : List.of(ControlProtocol.SUBMIT, ControlProtocol.REGISTER, ControlProtocol.PUT_BLOB)) {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> ClientCalls.blockingUnaryCall(channel, raw(method), call(), garbage));
                assertRefused(Status.Code.INVALID_ARGUMENT, "not a well-formed control message", e.getStatus());
            }
            assertRefused(Status.Code.INVALID_ARGUMENT, "sent bytes that are not a worker event",
                    attach(garbage).get(10, TimeUnit.SECONDS));

            byte[] big = new byte[ControlProtocol.MAX_MESSAGE_BYTES + 1];
            StatusRuntimeException oversized = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                    channel, ControlProtocol.PUT_BLOB, call(), new BlobChunk("a".repeat(64), 0, big, big.length)));
            assertRefused(Status.Code.RESOURCE_EXHAUSTED, "exceeds maximum size " + ControlProtocol.MAX_MESSAGE_BYTES,
                    oversized.getStatus());

            try (Socket socket = new Socket("127.0.0.1", port())) {
                socket.setSoTimeout(10_000);
                byte[] noise = new byte[64 * 1024];
                new Random(14).nextBytes(noise);
                socket.getOutputStream().write(noise);
                socket.getInputStream().readAllBytes(); // the coordinator closes the connection (else: timeout)
            } catch (java.net.SocketException reset) {
                // closed while the noise was still being sent: refused as well
            }
            try (Socket socket = new Socket("127.0.0.1", port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.contains("Unexpected HTTP/1.x request"), answer);
            }

            assertEquals(List.of(worker.workerId()), client.status().workers().stream().map(WorkerStatus::workerId).toList(),
                    "the coordinator serves, and the worker it had stays");
            assertEquals(Set.of(worker.workerId()), runJobs(client, "after"));
        }
    }

    @Test
    void blobChunksOutOfOrderWithAWrongHashOrABadNameAreRefused() throws Exception {
        byte[] content = new byte[BlobStore.CHUNK_BYTES * 2 + 12_345];
        new Random(7).nextBytes(content);
        Path jar = Files.write(dir.resolve("job.jar"), content);
        String sha = BlobStore.sha256(jar);
        String otherSha = BlobStore.sha256(Files.write(dir.resolve("other"), new byte[] {1}));
        byte[] chunk = java.util.Arrays.copyOf(content, 1_000);

        StatusRuntimeException outOfOrder = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                channel, ControlProtocol.PUT_BLOB, call(), new BlobChunk(sha, 5_000, chunk, content.length)));
        assertRefused(Status.Code.INVALID_ARGUMENT, "a chunk at offset 5000 of 1000 bytes does not follow the 0 bytes",
                outOfOrder.getStatus());
        StatusRuntimeException wrongHash = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                channel, ControlProtocol.PUT_BLOB, call(), new BlobChunk(otherSha, 0, chunk, chunk.length)));
        assertRefused(Status.Code.INVALID_ARGUMENT, "the content received has SHA-256 " + BlobStore.sha256(
                Files.write(dir.resolve("chunk"), chunk)), wrongHash.getStatus());
        assertFalse(ClientCalls.blockingUnaryCall(channel, ControlProtocol.HAS_BLOB, call(), new BlobQuery(otherSha)).present(),
                "a blob whose content does not match its name is discarded");
        for (String name : List.of("../../etc/passwd", sha.toUpperCase(java.util.Locale.ROOT), sha.substring(1), "")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                    channel, ControlProtocol.PUT_BLOB, call(), new BlobChunk(name, 0, chunk, chunk.length)));
            assertRefused(Status.Code.INVALID_ARGUMENT, "a blob name must be 64 lower-case hex digits (a SHA-256), was '"
                    + name + "'", e.getStatus());
        }
        try (var stored = Files.list(dir.resolve("coordinator/blobs"))) {
            assertEquals(List.of(), stored.toList(), "nothing was stored");
        }

        try (ClusterClient client = new ClusterClient("127.0.0.1", port(), token, java.util.Optional.empty())) {
            assertEquals(sha, client.uploadJar(jar), "a well-formed upload in 3 chunks");
        }
        assertTrue(ClientCalls.blockingUnaryCall(channel, ControlProtocol.HAS_BLOB, call(), new BlobQuery(sha)).present());
    }

    @Test
    void aWrongTokenIsRefusedNamingTheTokenAndTheCoordinatorServesOthers() throws Exception {
        ClusterToken wrong = ClusterToken.create(dir.resolve("wrong"));
        try (ClusterClient stranger = new ClusterClient("127.0.0.1", port(), wrong, java.util.Optional.empty(), "of " + dir.resolve("wrong"));
                ClusterClient client = new ClusterClient("127.0.0.1", port(), token, java.util.Optional.empty())) {
            IOException e = assertThrows(IOException.class, () -> stranger.submit(List.of("a"), List.of()));
            assertEquals("the coordinator at 127.0.0.1:" + port() + " refused the cluster token of " + dir.resolve("wrong")
                    + ": UNAUTHENTICATED (not this cluster's token)", e.getMessage());
            assertEquals(List.of(), client.jobs(), "nothing was submitted");
        }
    }
}
