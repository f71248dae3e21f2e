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
 * worker comes back only as a new one; a second registration of a live worker instance is refused.
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
        return RegisterRequest.newInstance("127.0.0.1", 4000, slots, 1234);
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
    void aSecondRegistrationOfALiveInstanceIsRefusedNamingBothAndTheFirstStays() {
        RegisterRequest once = worker(2);
        String first = registry.register(once);
        String other = registry.register(worker(1));
        RegisterRequest twice = new RegisterRequest("127.0.0.1", 4001, 2, 1234, once.instanceId());
        WorkerRegistry.InstanceRegisteredException e = assertThrows(WorkerRegistry.InstanceRegisteredException.class,
                () -> registry.register(twice));
        assertEquals("worker instance " + once.instanceId() + " (pid 1234, data port 4001) is registered already as "
                + first + " (pid 1234, data port 4000), which is live: a worker process registers once, and again only "
                + "after the coordinator declared it lost", e.getMessage());
        assertEquals(List.of(first, other), registry.status().stream().map(w -> w.workerId()).toList());
        assertTrue(registry.heartbeat(first, WorkerGauges.NONE), "the first registration is untouched");
        assertEquals(List.of(), lost);
    }

    @Test
    void anInstanceDeclaredLostRegistersAgainAsANewWorker() {
        RegisterRequest once = worker(1);
        String expired = registry.register(once);
        now.addAndGet(5_001);
        registry.expire();
        String again = registry.register(once);
        assertNotEquals(expired, again);
        assertTrue(registry.remove(again, "its control stream broke"));
        String third = registry.register(once);
        assertEquals(List.of(third), registry.status().stream().map(w -> w.workerId()).toList());
        assertThrows(WorkerRegistry.InstanceRegisteredException.class, () -> registry.register(once),
                "live again, so fenced again");
    }

    @Test
    void aWorkerWithoutAnInstanceIdIsNotFencedAndAMalformedOneIsRefused() {
        RegisterRequest older = new RegisterRequest("127.0.0.1", 4000, 1, 1234, "");
        String a = registry.register(older);
        String b = registry.register(older);
        assertEquals(List.of(a, b), registry.status().stream().map(w -> w.workerId()).toList(),
                "a worker older than instance ids registers as before");
        for (String bad : List.of("x".repeat(WorkerRegistry.MAX_INSTANCE_ID_CHARS + 1), "a b", "id\nforged log line")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> registry.register(new RegisterRequest("127.0.0.1", 4000, 1, 1234, bad)));
            assertEquals("a worker instance id is at most 64 letters, digits and dashes; received one of "
                    + bad.length() + " characters", e.getMessage());
        }
        assertEquals(2, registry.status().size(), "nothing registered");
    }

    @Test
    void aWorkerWithoutSlotsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.register(worker(0)));
        assertTrue(e.getMessage().contains("at least one slot"), e.getMessage());
    }
}
