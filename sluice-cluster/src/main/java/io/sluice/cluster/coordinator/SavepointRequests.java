package io.sluice.cluster.coordinator;

import io.sluice.cluster.protocol.JobMessages.EventKind;
import io.sluice.cluster.protocol.JobMessages.WorkerEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The savepoints asked of workers running whole attempts, by request id: answered when the worker asked reports the
 * path (or why it failed) about the job and attempt it was asked for, failed when the job ends or its worker is lost
 * first. An answer from another worker, or naming another job or attempt, or to no pending request, is ignored with
 * one log line. Thread-safe; calls nothing outside itself but completing the futures and its logger.
 */
final class SavepointRequests {
    private static final Logger LOG = LoggerFactory.getLogger(SavepointRequests.class);

    private record Pending(String job, int attempt, String worker, CompletableFuture<String> path) {}

    private final Map<Long, Pending> pending = new HashMap<>();
    private long next = 1;

    /** A new request for attempt {@code attempt} of {@code job}, asked of {@code worker}: its id, and its future path. */
    synchronized Map.Entry<Long, CompletableFuture<String>> open(String job, int attempt, String worker) {
        long id = next++;
        CompletableFuture<String> path = new CompletableFuture<>();
        pending.put(id, new Pending(job, attempt, worker, path));
        return Map.entry(id, path);
    }

    /**
     * Worker {@code worker}'s answer to a request: {@code SAVEPOINT_DONE} with the savepoint's path, else why it
     * failed. Taken only from the worker asked, naming the job and attempt asked; any other leaves the request pending.
     */
    void answer(String worker, WorkerEvent event) {
        long id = event.requestId();
        Pending p;
        synchronized (this) {
            p = pending.get(id);
            if (p == null || !p.worker().equals(worker) || !p.job().equals(event.jobId())
                    || p.attempt() != event.attempt()) {
                ignored(worker, event, p);
                return;
            }
            pending.remove(id);
        }
        if (event.kind() == EventKind.SAVEPOINT_DONE) {
            p.path().complete(event.text());
        } else {
            p.path().completeExceptionally(new IOException(event.text()));
        }
    }

    /** One line on an answer not taken: {@code asked} is its request, {@code null} if none is pending. */
    private static void ignored(String worker, WorkerEvent event, Pending asked) {
        String answer = worker + " answered savepoint request " + event.requestId() + " (" + event.kind() + " of job "
                + event.jobId() + " attempt " + event.attempt() + ")";
        if (asked == null) {
            // A late answer (the request failed when its job ended or its worker was lost) or a second one.
            LOG.info("{}, which is not pending: ignored", answer);
        } else {
            LOG.warn("{}, but it was asked of {} about job {} attempt {}: ignored", answer, asked.worker(), asked.job(),
                    asked.attempt());
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
