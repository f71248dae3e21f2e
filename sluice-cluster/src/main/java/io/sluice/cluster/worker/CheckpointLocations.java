package io.sluice.cluster.worker;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where each checkpoint of a worker's share goes, as the coordinator announces it (CHECKPOINT_STARTED before its
 * triggers), and which were aborted: a task's checkpoint writer waits here for its checkpoint's root. Thread-safe; a
 * wait ends when the root is known, the checkpoint aborted, the share cancelled, or the time is up.
 */
final class CheckpointLocations {
    private final Map<Long, String> roots = new HashMap<>(); // guarded by this
    private final Set<Long> aborted = new HashSet<>(); // guarded by this
    private boolean cancelled; // guarded by this

    synchronized void started(long checkpointId, String root) {
        roots.put(checkpointId, root);
        notifyAll();
    }

    synchronized void aborted(long checkpointId) {
        aborted.add(checkpointId);
        notifyAll();
    }

    /** Checkpoint {@code completed} completed: what is known of older ones is no longer needed. */
    synchronized void forgetBefore(long completed) {
        roots.keySet().removeIf(id -> id < completed);
        aborted.removeIf(id -> id < completed);
    }

    /** The share was cancelled: every wait ends, none waits again. */
    synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    /**
     * The root of checkpoint {@code id} once announced; {@code null} if it was aborted, the share cancelled, or
     * {@code millis} passed first (then {@code timedOut} is told).
     */
    synchronized String await(long id, long millis, Runnable timedOut) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!roots.containsKey(id) && !aborted.contains(id) && !cancelled) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                timedOut.run();
                return null;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return aborted.contains(id) ? null : roots.get(id); // aborted: nothing to write
    }
}
