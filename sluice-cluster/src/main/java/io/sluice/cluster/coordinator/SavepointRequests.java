package io.sluice.cluster.coordinator;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The savepoints asked of workers running whole attempts, by request id: answered when the worker reports the path (or
 * why it failed), failed when the job ends or its worker is lost first. Thread-safe; calls nothing outside itself
 * but completing the futures.
 */
final class SavepointRequests {
    private record Pending(String job, CompletableFuture<String> path) {}

    private final Map<Long, Pending> pending = new HashMap<>();
    private long next = 1;

    /** A new request for {@code job}: its id, and its future path. */
    synchronized Map.Entry<Long, CompletableFuture<String>> open(String job) {
        long id = next++;
        CompletableFuture<String> path = new CompletableFuture<>();
        pending.put(id, new Pending(job, path));
        return Map.entry(id, path);
    }

    /** The worker answered request {@code id}: the savepoint's path, or (not {@code done}) why it failed. */
    void answer(long id, boolean done, String text) {
        Pending p;
        synchronized (this) {
            p = pending.remove(id);
        }
        if (p != null) {
            if (done) {
                p.path().complete(text);
            } else {
                p.path().completeExceptionally(new IOException(text));
            }
        }
    }

    /** Request {@code id} was never sent. */
    synchronized void cancel(long id) {
        pending.remove(id);
    }

    /** Fails every request of {@code job}. */
    void failAll(String job, String reason) {
        java.util.List<Pending> failed = new java.util.ArrayList<>();
        synchronized (this) {
            pending.values().removeIf(p -> p.job().equals(job) && failed.add(p));
        }
        failed.forEach(p -> p.path().completeExceptionally(new IOException(reason)));
    }
}
