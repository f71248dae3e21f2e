package io.sluice.runtime.task;

import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.channel.ChannelWriter;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.operator.OperatorException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parallel subtask of a chain, on its own thread, running a mailbox loop: mails (control actions) first,
 * then a bounded amount of input; when there is no input, it sends its partly filled batches and sleeps until
 * woken by input or a mail. Partly filled batches are also sent when they are older than the flush interval,
 * so a slow stream still moves.
 *
 * <p>Life cycle: open operators (last first, so each is ready before its input opens), loop until the input
 * ends, end the operators' input in chain order, send end-of-input downstream, close everything. Any exception
 * fails the task: it is reported to the {@link TaskListener}, which cancels the job; a cancelled task stops at its
 * next check.
 */
public final class Task implements Runnable, io.sluice.runtime.checkpoint.TaskGateway {
    private static final Logger LOG = LoggerFactory.getLogger(Task.class);
    /** How long a finished task waits for its checkpoints' asynchronous parts before closing its state. */
    private static final long WRITES_AT_END_MILLIS = 60_000;

    private final String name;
    private final int subtask;
    private final int parallelism;
    private final List<ChainMember> chain;
    private final TaskInput input;
    private final List<ChannelWriter> writers;
    private final Wakeup wakeup;
    private io.sluice.runtime.operator.TaskTimes times = new io.sluice.runtime.operator.TaskTimes();
    private final Mailbox mailbox;
    private final Cancellation cancellation;
    private final TaskListener listener;
    private final long flushIntervalNanos;
    private volatile Thread thread;
    private final TaskCheckpoints checkpoints;
    /**
     * The newest checkpoint announced complete, and the newest aborted: signals rather than mails, so a full mailbox
     * never drops one. Each coalesces: completing N covers every checkpoint up to N (sinks commit all of them, the
     * backend's baseline moves to N), and cancelling the alignment of N subsumes older ones, so the newest is all
     * a task needs to act on. Written by any thread, acted on by the task thread between input batches.
     */
    private final java.util.concurrent.atomic.AtomicLong completedSignal = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong abortedSignal = new java.util.concurrent.atomic.AtomicLong();
    /** The signals acted on so far: written by the task thread only, read by waits ({@link #awaitMailsRun}). */
    private volatile long completedHandled;
    private volatile long abortedHandled;
    private final io.sluice.runtime.checkpoint.TaskKey checkpointKey;

    /** A task that takes no part in checkpoints. */
    public Task(String name, int subtask, int parallelism, List<ChainMember> chain, TaskInput input,
            List<ChannelWriter> writers, Wakeup wakeup, Mailbox mailbox, Cancellation cancellation, TaskListener listener,
            long flushIntervalMillis) {
        this(name, subtask, parallelism, chain, new InputSpec.Prepared(input), writers, wakeup, mailbox, cancellation,
                listener, flushIntervalMillis, null);
    }

    /**
     * @param checkpointing how the task takes part in checkpoints, or {@code null} for not at all: a source task is
     *                      triggered by mails ({@link #triggerCheckpoint}), a task reading channels aligns barriers
     */
    public Task(String name, int subtask, int parallelism, List<ChainMember> chain, InputSpec inputSpec,
            List<ChannelWriter> writers, Wakeup wakeup, Mailbox mailbox, Cancellation cancellation, TaskListener listener,
            long flushIntervalMillis, TaskCheckpointing checkpointing) {
        this.name = name;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.chain = List.copyOf(chain);
        this.writers = List.copyOf(writers);
        this.checkpointKey = checkpointing == null ? null : checkpointing.key();
        TaskCheckpoints taskCheckpoints = null;
        switch (inputSpec) {
            case InputSpec.Prepared prepared -> {
                this.input = prepared.input();
                if (checkpointing != null) {
                    taskCheckpoints = checkpoints(checkpointing, input);
                }
            }
            case InputSpec.Channels c -> {
                GateInput gate = new GateInput(c.channels(), c.inputIndex(), c.head(), c.counters(), c.headName());
                this.input = gate;
                if (checkpointing != null) {
                    taskCheckpoints = checkpoints(checkpointing, gate);
                    gate.enableCheckpoints(checkpointing.exactlyOnce(), taskCheckpoints);
                }
            }
        }
        this.checkpoints = taskCheckpoints;
        this.wakeup = wakeup;
        this.mailbox = mailbox;
        this.cancellation = cancellation;
        this.listener = listener;
        this.flushIntervalNanos = flushIntervalMillis * 1_000_000L;
    }

    /** The chain's name and the subtask, 1-based, as in {@code "Map -> Filter (2/4)"}. */
    public String displayName() {
        return name + " (" + (subtask + 1) + "/" + parallelism + ")";
    }

    public int subtaskIndex() {
        return subtask;
    }

    public int parallelism() {
        return parallelism;
    }

    /** {@code "subtask 2/4"}, for error messages. */
    public String subtaskLabel() {
        return "subtask " + (subtask + 1) + "/" + parallelism;
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    private TaskCheckpoints checkpoints(TaskCheckpointing c, TaskInput in) {
        return new TaskCheckpoints(c.key(), displayName(), subtask, parallelism, chain, c.sourceUid(), in, writers,
                c.responder(), c.io());
    }

    /** The task's key in checkpoints, or {@code null} without checkpointing. */
    public io.sluice.runtime.checkpoint.TaskKey checkpointKey() {
        return checkpointKey;
    }

    /** The uid of this task's source, or {@code null} if it reads channels (or checkpointing is off). */
    public String sourceUid() {
        return checkpoints == null ? null : checkpoints.sourceUid();
    }

    /** The uids of the task's chained operators (its source excluded), in chain order. */
    public List<String> operatorUids() {
        return chain.stream().map(ChainMember::uid).toList();
    }

    /** The newest checkpoint this task took part in, or 0. */
    public long lastCheckpointTaken() {
        return checkpoints == null ? 0 : checkpoints.lastCheckpointTaken();
    }

    /**
     * The state of this task's source as it finished: no splits held, every split it was given finished; {@code null}
     * if it has no source. Call after the task ended.
     */
    public ReaderSnapshot finalReaderState() {
        return sourceUid() == null ? null : input.snapshotReader(0);
    }

    /**
     * Posts the trigger of checkpoint {@code checkpointId} (a savepoint if {@code kind} says so) to a source task;
     * {@code false} if the mailbox is full.
     */
    @Override
    public boolean triggerCheckpoint(long checkpointId, io.sluice.runtime.state.SnapshotKind kind) {
        return mailbox.tryPut(() -> checkpoints.triggerAtSource(checkpointId, kind));
    }

    /** Announces that {@code checkpointId} is complete; the task acts on it between input batches. Never dropped. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        completedSignal.accumulateAndGet(checkpointId, Math::max);
        wakeup.wake();
    }

    /**
     * Waits until the task has run every mail posted before this call and acted on every completion and abort
     * announced before it, at most {@code millis}; {@code false} on time-out or if the task ended first. A full
     * mailbox does not end the wait: the mail is offered again until there is room.
     */
    public boolean awaitMailsRun(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long completed = completedSignal.get();
        long aborted = abortedSignal.get();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        boolean posted = false;
        while (true) {
            // A full mailbox refuses the mail: try again until the time-out rather than give up at once.
            posted = posted || mailbox.tryPut(done::countDown);
            boolean signalsActedOn = completedHandled >= completed && abortedHandled >= aborted;
            if (posted && signalsActedOn && done.getCount() == 0) {
                return true;
            }
            Thread t = thread;
            if (t == null || !t.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            if (posted) {
                done.await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                Thread.sleep(10); // bounded polling: the mailbox has no space to wait on
            }
        }
    }

    /** Announces the abort of {@code checkpointId} (the coordinator gave up on it): stop aligning it. Never dropped. */
    @Override
    public void abortCheckpoint(long checkpointId) {
        abortedSignal.accumulateAndGet(checkpointId, Math::max);
        wakeup.wake();
    }

    /** Task thread: acts on the newest completion and abort announced since the last call. */
    private void actOnSignals() throws Exception {
        long aborted = abortedSignal.get();
        if (aborted > abortedHandled) {
            abortedHandled = aborted;
            input.cancelCheckpoint(aborted);
        }
        long completed = completedSignal.get();
        if (completed > completedHandled) {
            completedHandled = completed;
            if (checkpoints != null) {
                checkpoints.notifyComplete(completed);
            }
        }
    }

    private boolean hasSignals() {
        return abortedSignal.get() > abortedHandled || completedSignal.get() > completedHandled;
    }

    /** Starts the task's thread, named after the job, the chain and the subtask. */
    public Thread start(String jobName) {
        times.startNanos = System.nanoTime();
        Thread t = new Thread(this, "sluice " + jobName + ": " + displayName());
        t.setDaemon(true);
        thread = t;
        t.start();
        return t;
    }

    public Thread thread() {
        return thread;
    }

    @Override
    public void run() {
        Throwable unreported = null;
        try {
            openOperators();
            loop();
            endInput();
            awaitCheckpointWrites();
        } catch (Throwable t) {
            if (!(t instanceof Cancellation.CancelledException) && !report(t)) {
                unreported = t;
            }
        } finally {
            // Whatever happened (an OutOfMemoryError may strike again while the failure is handled), the listener must
            // hear of the failure and of the end, or the job would wait for this task forever.
            try {
                closeAll();
            } catch (Throwable t) {
                // closing is best effort; the failure that matters is reported below
            }
            if (unreported != null && !report(unreported)) {
                report(new IllegalStateException("task " + name + " failed and could not report why"));
            }
            terminate();
        }
    }

    /**
     * After a successful end: lets the asynchronous parts of the task's last checkpoints finish before its state is
     * closed (bounded: past the bound the state closes and such a part fails, declining its checkpoint).
     */
    private void awaitCheckpointWrites() throws InterruptedException {
        if (checkpoints != null && !checkpoints.awaitWrites(WRITES_AT_END_MILLIS)) {
            LOG.warn("{}: closing its state while a checkpoint is still being written (after {} ms)", displayName(),
                    WRITES_AT_END_MILLIS);
        }
    }

    /** Tells the listener of a failure; {@code false} if that failed too (e.g. out of memory again). */
    private boolean report(Throwable failure) {
        try {
            listener.onFailure(this, failure);
            return true;
        } catch (Throwable again) {
            return false;
        }
    }

    private void terminate() {
        try {
            listener.onTerminated(this);
        } catch (Throwable t) {
            listener.onTerminated(this); // once more, after what failed has been released
        }
    }

    private void openOperators() {
        for (int i = chain.size() - 1; i >= 0; i--) {
            ChainMember m = chain.get(i);
            try {
                m.operator().open(m.setup());
            } catch (Exception | Error e) {
                throw new OperatorException(m.name(), e);
            }
        }
    }

    private void loop() throws Exception {
        long lastFlush = System.nanoTime();
        while (true) {
            mailbox.runAll();
            actOnSignals();
            cancellation.throwIfCancelled();
            TaskInput.Status status = input.processSome();
            if (status == TaskInput.Status.ENDED) {
                return;
            }
            if (status == TaskInput.Status.NOTHING_NOW) {
                flushWriters();
                lastFlush = System.nanoTime();
                waitForWork(input.maxWaitNanos());
            } else if (flushIntervalNanos >= 0 && System.nanoTime() - lastFlush > flushIntervalNanos) {
                flushWriters();
                lastFlush = System.nanoTime();
            }
        }
    }

    private void waitForWork(long maxNanos) {
        wakeup.prepareToSleep();
        if (input.hasInputNow() || !mailbox.isEmpty() || hasSignals() || cancellation.isCancelled()) {
            wakeup.cancelSleep();
            return;
        }
        long parked = System.nanoTime();
        wakeup.sleep(maxNanos);
        times.idleNanos += System.nanoTime() - parked; // once per park, never per record
    }

    /**
     * Where the task accounts its idle time (shared with its chain's operators and output writers); call before
     * {@link #start}.
     */
    public void measureInto(io.sluice.runtime.operator.TaskTimes times) {
        this.times = times;
    }

    private void flushWriters() {
        for (ChannelWriter w : writers) {
            w.flush();
        }
    }

    private void endInput() {
        for (ChainMember m : chain) {
            try {
                m.operator().endInput();
            } catch (OperatorException e) {
                throw e;
            } catch (Exception | Error e) {
                throw new OperatorException(m.name(), e);
            }
        }
        for (ChannelWriter w : writers) {
            w.broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
        }
    }

    private void closeAll() {
        try {
            input.close();
        } catch (Exception e) {
            LOG.warn("{}: closing the input failed", displayName(), e);
        }
        for (ChainMember m : chain) {
            try {
                m.operator().close();
            } catch (Exception e) {
                LOG.warn("{}: closing operator '{}' failed", displayName(), m.name(), e);
            }
            if (m.setup() != null && m.setup().stateBackend() != null) {
                try {
                    m.setup().stateBackend().close(); // frees native memory and local files (RocksDB)
                } catch (RuntimeException e) {
                    LOG.warn("{}: closing the state of operator '{}' failed", displayName(), m.name(), e);
                }
            }
        }
    }
}
