package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.JobResult;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.task.Task;
import io.sluice.runtime.task.TaskListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running job on the embedded cluster: owns its task threads, keeps the first failure, cancels every task when
 * one fails, and reports the result once every thread has ended. Thread-safe.
 */
final class JobRun implements JobClient, TaskListener {
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
    private static final long JOIN_TIMEOUT_MILLIS = 10_000;

    private final String jobName;
    private final JobMetrics metrics;
    private final Cancellation cancellation;
    /** How often progress lines are logged; zero: never. */
    private final Duration progressInterval;
    private final AtomicReference<JobExecutionException> failure = new AtomicReference<>();
    private final long startNanos = System.nanoTime();
    private volatile List<Task> tasks = List.of();
    private volatile List<Thread> threads = List.of();
    private volatile CountDownLatch running;
    private final java.util.concurrent.atomic.AtomicInteger remaining = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long endNanos;
    private volatile ProgressReporter reporter;
    private volatile java.util.function.Consumer<Task> finishedListener;
    /** Actions waiting for the run's successful end (transactional sinks' last commits). */
    private final java.util.List<io.sluice.runtime.operator.JobFinalizer.Action> finalActions =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<io.sluice.runtime.checkpoint.OperatorSubtaskState> finalStates =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Consumer<io.sluice.runtime.checkpoint.OperatorSubtaskState> finalStateListener;
    private final java.util.List<AutoCloseable> closeAtEnd = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Schedules processing-time callbacks for every task of the job; shut down when the job ends. */
    private final ScheduledExecutorService timerThread;

    JobRun(String jobName, JobMetrics metrics, Cancellation cancellation, Duration progressInterval) {
        this.jobName = jobName;
        this.progressInterval = progressInterval;
        this.metrics = metrics;
        this.cancellation = cancellation;
        this.timerThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice " + jobName + ": timers");
            t.setDaemon(true);
            return t;
        });
    }

    JobMetrics metrics() {
        return metrics;
    }

    ScheduledExecutorService timerThread() {
        return timerThread;
    }

    /** Where operators of this run leave actions for its successful end. */
    io.sluice.runtime.operator.JobFinalizer finalizer(String uid, int subtask, int parallelism) {
        return new io.sluice.runtime.operator.JobFinalizer() {
            @Override
            public void atJobSuccess(Action action) {
                finalActions.add(action);
            }

            @Override
            public void finalOperatorState(io.sluice.runtime.state.operator.OperatorStateSnapshot state) {
                var subtaskState = new io.sluice.runtime.checkpoint.OperatorSubtaskState(uid, subtask, parallelism, null, state, null);
                finalStates.add(subtaskState);
                var listener = finalStateListener;
                if (listener != null) {
                    listener.accept(subtaskState);
                }
            }
        };
    }

    /** Told of each final operator state as it is left (checkpoints taken meanwhile must hold it). */
    void onFinalState(java.util.function.Consumer<io.sluice.runtime.checkpoint.OperatorSubtaskState> listener) {
        this.finalStateListener = listener;
    }

    /** The operator states the final checkpoint must hold. */
    java.util.List<io.sluice.runtime.checkpoint.OperatorSubtaskState> finalStates() {
        return java.util.List.copyOf(finalStates);
    }

    /** Runs the actions left for the run's successful end; call after {@link #await()} returned normally. */
    void runFinalActions() throws Exception {
        for (io.sluice.runtime.operator.JobFinalizer.Action action : finalActions) {
            action.run();
        }
        finalActions.clear();
    }

    private volatile java.util.function.Consumer<String> failingListener;

    /** Told of the run's first failure before any task is cancelled (pending checkpoints are aborted then). */
    void onFailing(java.util.function.Consumer<String> listener) {
        this.failingListener = listener;
    }

    /** Called for each task that ends without the run being cancelled (checkpoints stop waiting for it). */
    void onTaskFinished(java.util.function.Consumer<Task> listener) {
        this.finishedListener = listener;
    }

    void start(List<Task> created, List<Integer> sourceIds) {
        tasks = List.copyOf(created);
        running = new CountDownLatch(created.size());
        remaining.set(created.size());
        // Before the tasks start: a job whose tasks all end at once closes it when the last one ends, and a reporter
        // started after that would never be closed (and keep the job's class loader with its thread).
        reporter = ProgressReporter.startIfEnabled(jobName, progressInterval, this::progress, sourceIds);
        threads = created.stream().map(t -> t.start(jobName)).toList();
        if (cancellation.isCancelled()) {
            cancelTasks(); // a task failed while threads were starting, when the list to interrupt was still empty
        }
        LOG.info("Job '{}' started: {} tasks", jobName, created.size());
    }

    /** Something the run closes once every task has ended (network channel ends of a worker's share of an attempt). */
    void closeAtEnd(AutoCloseable resource) {
        closeAtEnd.add(resource);
    }

    /** A failure outside the tasks (a source's split enumerator): fails the run like a task's failure. Any thread. */
    void failFromCoordinator(Throwable t) {
        if (cancellation.isCancelled()) {
            LOG.debug("Job '{}': the source coordinator failed after the job was cancelled", jobName, t);
            return;
        }
        fail("The source coordinator", t, t);
    }

    @Override
    public void onFailure(Task task, Throwable t) {
        if (cancellation.isCancelled()) {
            // Follow-up damage of the cancel (an interrupted read, a closed channel): the first cause is kept.
            LOG.debug("{} failed after the job was cancelled", task.displayName(), t);
            return;
        }
        Throwable cause = t instanceof OperatorException oe && oe.getCause() != null ? oe.getCause() : t;
        String where = t instanceof OperatorException oe
                ? "Operator '" + oe.operatorName() + "' (" + task.subtaskLabel() + ")"
                : "Task '" + task.displayName() + "'";
        fail(where, cause, t);
    }

    private void fail(String where, Throwable cause, Throwable t) {
        JobExecutionException e = new JobExecutionException("Job '" + jobName + "' failed: " + where + " threw " + cause, cause);
        if (failure.compareAndSet(null, e)) {
            // Not an error entry: the failure is thrown to whoever awaits the job, who reports it.
            LOG.info("{} failed; cancelling the job", where, cause);
            java.util.function.Consumer<String> failing = failingListener;
            if (failing != null) {
                try {
                    failing.accept(where + " threw " + cause);
                } catch (RuntimeException again) {
                    LOG.warn("Job '{}': aborting the failed run's checkpoints failed", jobName, again); // cancel anyway
                }
            }
            cancelTasks();
        }
    }

    @Override
    public void onTerminated(Task task) {
        java.util.function.Consumer<Task> finished = finishedListener;
        if (finished != null && !cancellation.isCancelled()) {
            try {
                finished.accept(task);
            } catch (RuntimeException e) {
                LOG.warn("{}: reporting its end failed", task.displayName(), e); // never skip the count-down below
            }
        }
        if (remaining.decrementAndGet() == 0) {
            endNanos = System.nanoTime();
            ProgressReporter r = reporter;
            if (r != null) {
                r.close();
            }
            timerThread.shutdownNow();
            for (AutoCloseable c : closeAtEnd) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("Job '{}': closing {} failed", jobName, c, e);
                }
            }
        }
        running.countDown(); // last: await() may return right after it
    }

    private void cancelTasks() {
        cancellation.cancel();
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                t.interrupt();
            }
        }
    }

    @Override
    public JobProgress progress() {
        return new JobProgress(jobName, Duration.ofNanos(System.nanoTime() - startNanos), metrics.operators());
    }

    @Override
    public JobResult await() throws JobExecutionException, InterruptedException {
        running.await();
        joinThreads();
        JobExecutionException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
        if (cancellation.isCancelled()) {
            throw new JobExecutionException("Job '" + jobName + "' was cancelled", null);
        }
        return new JobResult(jobName, Duration.ofNanos(endNanos - startNanos), metrics.operators(), metrics.channels());
    }

    /** Waits until the job ends, at most {@code timeout}; {@code true} if it ended. */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch latch = running;
        return latch == null || latch.await(timeout, unit); // never started: nothing runs
    }

    private void joinThreads() throws InterruptedException {
        for (Thread t : threads) {
            t.join(JOIN_TIMEOUT_MILLIS);
            if (t.isAlive()) {
                LOG.warn("Thread '{}' has not ended {} ms after its task finished", t.getName(), JOIN_TIMEOUT_MILLIS);
            }
        }
    }

    @Override
    public void cancel() {
        cancelTasks();
    }

    @Override
    public String triggerSavepoint(String directory) throws JobExecutionException {
        throw new JobExecutionException("a single run takes no savepoints: its supervisor does", null);
    }

    @Override
    public String stopWithSavepoint(String directory) throws JobExecutionException {
        throw new JobExecutionException("a single run takes no savepoints: its supervisor does", null);
    }

    List<Task> tasks() {
        return tasks;
    }
}
