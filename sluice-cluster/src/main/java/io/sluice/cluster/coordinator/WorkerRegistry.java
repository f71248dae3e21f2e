package io.sluice.cluster.coordinator;

import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.cluster.protocol.WorkerGauges;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The workers a coordinator knows: registered, each with the time of its last heartbeat and the gauges that heartbeat
 * carried. A worker silent for longer than the timeout is dead: removed (its gauges with it), reported once, and a
 * later heartbeat of it is refused (it must register again, as a new worker, so nothing of its old tasks is mistaken
 * for the new ones). A process registers once: a second registration of its instance id while its first one is live is
 * refused ({@link InstanceRegisteredException}), and one after that registration was declared lost is a new worker.
 * Thread-safe.
 */
public final class WorkerRegistry {
    /** What the registry reports. */
    public interface Listener {
        void workerRegistered(String workerId, RegisterRequest request);

        void workerLost(String workerId, String reason);
    }

    /**
     * A registration refused because its worker instance is registered and live already: a process that registers
     * twice. The message names the instance and the worker it is registered as.
     */
    public static final class InstanceRegisteredException extends IllegalStateException {
        InstanceRegisteredException(String message) {
            super(message);
        }
    }

    /** The longest instance id accepted (a UUID has 36 characters); it is named in log lines and refusals. */
    static final int MAX_INSTANCE_ID_CHARS = 64;

    private record Entry(RegisterRequest request, long lastHeartbeatMillis, WorkerGauges gauges) {}

    private final long timeoutMillis;
    private final LongSupplier clockMillis;
    private final Listener listener;
    private final Map<String, Entry> workers = new LinkedHashMap<>();
    private long nextId = 1;

    /** @param clockMillis a monotonic clock in milliseconds */
    public WorkerRegistry(long timeoutMillis, LongSupplier clockMillis, Listener listener) {
        this.timeoutMillis = timeoutMillis;
        this.clockMillis = clockMillis;
        this.listener = listener;
    }

    /**
     * Registers a worker under a new id (a worker that comes back is a new worker).
     *
     * @throws IllegalArgumentException     for no slots, or an instance id that is not one
     * @throws InstanceRegisteredException for an instance registered already, whose registration is live
     */
    public String register(RegisterRequest request) {
        if (request.slots() < 1) {
            throw new IllegalArgumentException("a worker must offer at least one slot, offered " + request.slots());
        }
        checkInstanceId(request.instanceId());
        String id;
        synchronized (this) {
            // Under the lock with the insertion: two registrations of one instance racing each other admit one.
            String existing = liveWorkerOf(request.instanceId());
            if (existing != null) {
                RegisterRequest first = workers.get(existing).request();
                throw new InstanceRegisteredException("worker instance " + request.instanceId() + " (pid "
                        + request.pid() + ", data port " + request.dataPort() + ") is registered already as " + existing
                        + " (pid " + first.pid() + ", data port " + first.dataPort() + "), which is live: a worker "
                        + "process registers once, and again only after the coordinator declared it lost");
            }
            id = "worker-" + nextId++;
            workers.put(id, new Entry(request, clockMillis.getAsLong(), WorkerGauges.NONE));
        }
        listener.workerRegistered(id, request);
        return id;
    }

    /** The live worker registered as {@code instanceId}, or {@code null}; never one for {@code ""} (not fenced). */
    private String liveWorkerOf(String instanceId) {
        if (instanceId.isEmpty()) {
            return null;
        }
        for (var e : workers.entrySet()) {
            if (e.getValue().request().instanceId().equals(instanceId)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static void checkInstanceId(String instanceId) {
        if (instanceId.length() > MAX_INSTANCE_ID_CHARS || !instanceId.chars().allMatch(
                c -> c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            throw new IllegalArgumentException("a worker instance id is at most " + MAX_INSTANCE_ID_CHARS
                    + " letters, digits and dashes; received one of " + instanceId.length() + " characters");
        }
    }

    /**
     * Records a heartbeat and the gauges it carried; {@code false} for a worker this registry does not know (declared
     * dead, or never seen): its gauges are not kept.
     */
    public synchronized boolean heartbeat(String workerId, WorkerGauges gauges) {
        Entry e = workers.get(workerId);
        if (e == null) {
            return false;
        }
        workers.put(workerId, new Entry(e.request(), clockMillis.getAsLong(), gauges));
        return true;
    }

    /**
     * The gauges of each live worker as its latest heartbeat carried them ({@link WorkerGauges#NONE} before its first),
     * in registration order: bounded by the workers registered, and a worker removed is gone from it.
     */
    public synchronized Map<String, WorkerGauges> gauges() {
        Map<String, WorkerGauges> out = new LinkedHashMap<>();
        workers.forEach((id, e) -> out.put(id, e.gauges()));
        return out;
    }

    /** Declares every worker silent for longer than the timeout dead; returns their ids. */
    public List<String> expire() {
        List<String> lost = new ArrayList<>();
        long now = clockMillis.getAsLong();
        synchronized (this) {
            workers.entrySet().removeIf(e -> {
                boolean dead = now - e.getValue().lastHeartbeatMillis() > timeoutMillis;
                if (dead) {
                    lost.add(e.getKey());
                }
                return dead;
            });
        }
        for (String id : lost) {
            listener.workerLost(id, "no heartbeat for more than " + timeoutMillis + " ms");
        }
        return lost;
    }

    /** Declares a worker dead now (its control stream broke); {@code false} if it was not live. */
    public boolean remove(String workerId, String reason) {
        boolean removed;
        synchronized (this) {
            removed = workers.remove(workerId) != null;
        }
        if (removed) {
            listener.workerLost(workerId, reason);
        }
        return removed;
    }

    /** Whether a worker is live. */
    public synchronized boolean isLive(String workerId) {
        return workers.containsKey(workerId);
    }

    /** The live workers, in registration order. */
    public synchronized List<WorkerStatus> status() {
        long now = clockMillis.getAsLong();
        List<WorkerStatus> out = new ArrayList<>();
        workers.forEach((id, e) -> out.add(new WorkerStatus(id, e.request().host(), e.request().dataPort(),
                e.request().slots(), e.request().pid(), now - e.lastHeartbeatMillis())));
        return out;
    }
}
