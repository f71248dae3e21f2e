package io.sluice.runtime.source;

import io.sluice.api.source.EnumeratorCheckpoint;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.source.SplitEnumerator;
import io.sluice.runtime.checkpoint.CoordinatorCheckpointing;
import io.sluice.runtime.checkpoint.EnumeratorState;
import io.sluice.runtime.checkpoint.restore.EnumeratorRestore;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The source coordinators of one run of a job, and the one thread they all run on ("source coordinator"): every
 * enumerator call, every assignment sent to a reader and every checkpoint's enumerator snapshot and source trigger
 * happen on it, which orders them. An enumerator that throws fails the run. Closed when the run ends.
 */
public final class SourceCoordinators implements CoordinatorCheckpointing, AutoCloseable {
    /** Actions waiting for the thread; far above what registrations, requests and checkpoints need at once. */
    private static final int MAX_PENDING = 100_000;

    private final ScheduledThreadPoolExecutor thread;
    private final Consumer<Throwable> onFailure;
    private final Map<String, SourceCoordinator> byUid = new LinkedHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();

    /** @param onFailure told of an enumerator's failure (fails the run); any thread */
    public SourceCoordinators(String jobName, Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sluice " + jobName + ": source coordinator");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Creates the enumerator of a source (fresh, or from {@code restore} when not {@code null}) on the coordinator
     * thread, and waits for it: a source that cannot start fails here, before any task starts.
     *
     * @return where the source's readers register and ask for splits
     */
    @SuppressWarnings("unchecked")
    public SplitRequests add(String uid, String name, int parallelism, Source<?, ?> source, EnumeratorRestore restore)
            throws Exception {
        SourceCoordinator coordinator = new SourceCoordinator(uid, name, parallelism, this,
                restore == null ? Set.of() : restore.finished());
        Source<?, SourceSplit> typed = (Source<?, SourceSplit>) source;
        Future<?> created = thread.submit(() -> {
            SplitEnumerator<SourceSplit> enumerator = restore == null
                    ? typed.createEnumerator(coordinator.context())
                    : typed.restoreEnumerator(coordinator.context(), new EnumeratorCheckpoint<>(restore.owned(), restore.known()));
            coordinator.setEnumerator(enumerator);
            return null;
        });
        try {
            created.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        byUid.put(uid, coordinator);
        return coordinator;
    }

    /** Before the readers start: how the coordinator of source {@code uid} reaches reader {@code subtask}. */
    public void connect(String uid, int subtask, ReaderGateway gateway) {
        byUid.get(uid).connect(subtask, gateway);
    }

    @Override
    public void checkpoint(long checkpointId, CheckpointWriter writer, Consumer<List<StateFileHandle>> triggerSources,
            Consumer<Exception> failed) {
        boolean queued = enqueue(() -> {
            List<StateFileHandle> files = new ArrayList<>();
            try {
                for (SourceCoordinator c : byUid.values()) {
                    byte[] state = new EnumeratorState(c.uid(), c.snapshot(checkpointId)).toBytes();
                    files.add(writer.writeFile(EnumeratorState.fileName(c.uid()), state));
                }
            } catch (Exception e) {
                failed.accept(e);
                return;
            }
            triggerSources.accept(files);
        });
        if (!queued) {
            failed.accept(new IllegalStateException("the source coordinator is shut down"));
        }
    }

    /** Runs {@code action} of source {@code name} on the coordinator thread; a failure fails the run. */
    void run(String name, ThrowingAction action) {
        if (!enqueue(() -> runGuarded(name, action))) {
            onFailure.accept(new IllegalStateException("source '" + name + "': its coordinator is shut down"));
        }
    }

    void schedule(String name, ThrowingAction action, long delay, TimeUnit unit) {
        try {
            thread.schedule(() -> runGuarded(name, action), delay, unit);
        } catch (RejectedExecutionException e) {
            // shut down: the run ended, nothing is waiting for the action any more
        }
    }

    void schedulePeriodic(String name, Runnable action, long periodMillis) {
        if (periodMillis < 1) {
            throw new IllegalArgumentException("source '" + name + "': a periodic action needs a period of at least 1 ms");
        }
        thread.scheduleWithFixedDelay(() -> runGuarded(name, action::run), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void runGuarded(String name, ThrowingAction action) {
        try {
            action.run();
        } catch (Exception | Error e) {
            onFailure.accept(new IllegalStateException("source '" + name + "': its split enumerator failed: " + e, e));
        }
    }

    private boolean enqueue(Runnable action) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            onFailure.accept(new IllegalStateException("the source coordinator has " + MAX_PENDING + " actions waiting"));
            return false;
        }
        try {
            thread.execute(() -> {
                pending.decrementAndGet();
                action.run();
            });
            return true;
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            return false;
        }
    }

    /** Closes every enumerator (on the coordinator thread) and ends the thread. Waits a bounded time. */
    @Override
    public void close() {
        try {
            thread.execute(() -> byUid.values().forEach(SourceCoordinator::close));
        } catch (RejectedExecutionException e) {
            return; // closed already
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** An action that may throw. */
    @FunctionalInterface
    interface ThrowingAction {
        void run() throws Exception;
    }
}
