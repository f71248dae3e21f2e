package io.sluice.web.api;

import io.sluice.runtime.monitor.JobControl;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Savepoints (and stops with a savepoint) asked for over HTTP, run off the request threads on one bounded pool
 * (2 threads named {@code sluice web: savepoints}, 16 waiting at most), each with a request id to poll; the last
 * {@value #MAX_KEPT} requests are kept. Thread-safe.
 */
public final class SavepointRequests implements AutoCloseable {
    static final int MAX_KEPT = 256;
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16), r -> {
                Thread t = new Thread(r, "sluice web: savepoints");
                t.setDaemon(true);
                return t;
            });
    private final Map<String, Status> requests = new LinkedHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    /** A request's state: IN_PROGRESS, COMPLETED (with the path) or FAILED (with the reason). */
    public record Status(String requestId, String jobId, String kind, String state, String path, String failure) {}

    /** Starts a savepoint ({@code stop}: and then stops the job) into {@code target}; returns its request. */
    public Status start(String jobId, JobControl control, String target, boolean stop) {
        String id = "sp-" + next.getAndIncrement();
        String kind = stop ? "stop" : "savepoint";
        Status started = new Status(id, jobId, kind, "IN_PROGRESS", "", "");
        put(started);
        try {
            pool.execute(() -> {
                try {
                    String path = stop ? control.stopWithSavepoint(target) : control.savepoint(target);
                    put(new Status(id, jobId, kind, "COMPLETED", path, ""));
                } catch (Exception e) {
                    put(new Status(id, jobId, kind, "FAILED", "", e.getMessage() != null ? e.getMessage() : e.toString()));
                }
            });
        } catch (RejectedExecutionException e) {
            put(new Status(id, jobId, kind, "FAILED", "", "too many savepoints asked for at once; try again later"));
        }
        return get(id).orElse(started);
    }

    public synchronized Optional<Status> get(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    private synchronized void put(Status status) {
        requests.put(status.requestId(), status);
        while (requests.size() > MAX_KEPT) {
            requests.remove(requests.keySet().iterator().next());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
