package io.sluice.cluster.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.WorkerGauges;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats keep a worker and its latest gauges; silence past the timeout loses it (and its gauges), once; a lost
 * worker comes back only as a new one.
 */
class WorkerRegistryTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> lost = new ArrayList<>();
    private final WorkerRegistry registry = new WorkerRegistry(5_000, now::get, new WorkerRegistry.Listener() {
        @Override
        public void workerRegistered(String workerId, RegisterRequest request) {}

        @Override
        public void workerLost(String workerId, String reason) {
            lost.add(workerId + ": " + reason);
        }
    });

    private static RegisterRequest worker(int slots) {
        return new RegisterRequest("127.0.0.1", 4000, slots, 1234);
    }

    @Test
    void heartbeatsKeepAWorkerAndSilenceLosesItOnce() {
        String a = registry.register(worker(2));
        String b = registry.register(worker(1));
        for (int i = 0; i < 10; i++) {
            now.addAndGet(1_000);
            assertTrue(registry.heartbeat(a, WorkerGauges.NONE));
            registry.expire();
        }
        assertEquals(List.of(b + ": no heartbeat for more than 5000 ms"), lost);
        assertEquals(List.of(a), registry.status().stream().map(w -> w.workerId()).toList());
        now.addAndGet(60_000);
        registry.expire();
        registry.expire();
        assertEquals(2, lost.size(), "each loss reported once: " + lost);
    }

    @Test
    void aLostWorkerIsRefusedAndComesBackAsANewWorker() {
        String a = registry.register(worker(2));
        now.addAndGet(5_001);
        registry.expire();
        assertFalse(registry.heartbeat(a, gauges(1)), "a worker declared dead is not known any more");
        assertEquals(java.util.Map.of(), registry.gauges(), "nor are its gauges kept");
        String again = registry.register(worker(2));
        assertNotEquals(a, again);
        assertTrue(registry.heartbeat(again, WorkerGauges.NONE));
    }

    @Test
    void eachLiveWorkerKeepsTheGaugesOfItsLatestHeartbeatUntilItIsGone() {
        String a = registry.register(worker(1));
        String b = registry.register(worker(1));
        assertEquals(java.util.Map.of(a, WorkerGauges.NONE, b, WorkerGauges.NONE), registry.gauges(),
                "none before the first heartbeat");
        registry.heartbeat(a, gauges(100));
        registry.heartbeat(b, gauges(200));
        registry.heartbeat(a, gauges(300));
        assertEquals(java.util.Map.of(a, gauges(300), b, gauges(200)), registry.gauges());
        assertTrue(registry.remove(b, "its control stream broke"));
        assertEquals(java.util.Map.of(a, gauges(300)), registry.gauges(), "a removed worker's gauges are gone");
        now.addAndGet(5_001);
        registry.expire();
        assertEquals(java.util.Map.of(), registry.gauges(), "an expired worker's gauges are gone");
    }

    private static WorkerGauges gauges(long heapUsed) {
        return new WorkerGauges(heapUsed, 1_000, 50, 3, 4, 0, 10, -1, -1);
    }

    @Test
    void aWorkerWithoutSlotsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.register(worker(0)));
        assertTrue(e.getMessage().contains("at least one slot"), e.getMessage());
    }
}
