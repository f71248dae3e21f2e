package io.sluice.cluster.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.network.ClusterToken;
import io.sluice.cluster.worker.Worker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator and workers over real gRPC on loopback (ephemeral ports, short heartbeats): registration, liveness,
 * loss of a silent worker, refusal of a wrong token while others are served, and a worker that stops when its
 * coordinator is gone.
 */
class CoordinatorTest {
    private static final Coordinator.Settings FAST = new Coordinator.Settings("127.0.0.1", 0, 50, 400);

    private static RegisterRequest registration(int slots) {
        return RegisterRequest.newInstance("127.0.0.1", 0, slots, ProcessHandle.current().pid());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within 10 s: " + what);
            Thread.sleep(10);
        }
    }

    @Test
    @Timeout(30)
    void registeredWorkersStayWhileTheyBeatAndASilentOneIsLost(@TempDir Path dir) throws Exception {
        ClusterToken token = ClusterToken.create(dir.resolve("token"));
        try (Coordinator coordinator = Coordinator.start(FAST, token, dir.resolve("coordinator"), new Jobs.Settings(dir, 1_000, JobMains.none()));
                Worker staying = Worker.join("127.0.0.1", coordinator.address().getPort(), token, Optional.empty(), registration(2), dir.resolve("w"), () -> {})) {
            Worker leaving = Worker.join("127.0.0.1", coordinator.address().getPort(), token, Optional.empty(), registration(1), dir.resolve("w"), () -> {});
            List<WorkerStatus> both = coordinator.registry().status();
            assertEquals(List.of(staying.workerId(), leaving.workerId()), both.stream().map(WorkerStatus::workerId).toList());
            assertEquals(List.of(2, 1), both.stream().map(WorkerStatus::slots).toList());
            leaving.close(); // stops beating
            await(() -> coordinator.registry().status().size() == 1, "the silent worker is lost");
            Thread.sleep(3 * FAST.heartbeatTimeoutMillis()); // well past the timeout: the beating one stays
            assertEquals(List.of(staying.workerId()),
                    coordinator.registry().status().stream().map(WorkerStatus::workerId).toList());
        }
    }

    @Test
    @Timeout(30)
    void aWrongTokenIsRefusedAndTheCoordinatorServesOthers(@TempDir Path dir) throws Exception {
        ClusterToken token = ClusterToken.create(dir.resolve("token"));
        ClusterToken wrong = ClusterToken.create(dir.resolve("wrong"));
        try (Coordinator coordinator = Coordinator.start(FAST, token, dir.resolve("coordinator"), new Jobs.Settings(dir, 1_000, JobMains.none()))) {
            int port = coordinator.address().getPort();
            IOException e = assertThrows(IOException.class, () -> Worker.join("127.0.0.1", port, wrong, Optional.empty(), registration(1), dir.resolve("w"), () -> {}));
            assertTrue(e.getMessage().contains("UNAUTHENTICATED"), e.getMessage());
            assertEquals(List.of(), coordinator.registry().status());
            try (Worker good = Worker.join("127.0.0.1", port, token, Optional.empty(), registration(1), dir.resolve("w"), () -> {})) {
                assertEquals(List.of(good.workerId()),
                        coordinator.registry().status().stream().map(WorkerStatus::workerId).toList());
            }
        }
    }

    @Test
    @Timeout(30)
    void aWorkerStopsOnceItsCoordinatorIsGone(@TempDir Path dir) throws Exception {
        ClusterToken token = ClusterToken.create(dir.resolve("token"));
        CountDownLatch stopped = new CountDownLatch(1);
        Coordinator coordinator = Coordinator.start(FAST, token, dir.resolve("coordinator"), new Jobs.Settings(dir, 1_000, JobMains.none()));
        try (Worker worker = Worker.join("127.0.0.1", coordinator.address().getPort(), token, Optional.empty(), registration(1), dir.resolve("w"),
                stopped::countDown)) {
            coordinator.close();
            assertTrue(stopped.await(10, TimeUnit.SECONDS), "the worker gave up on its coordinator");
        } finally {
            coordinator.close();
        }
    }
}
