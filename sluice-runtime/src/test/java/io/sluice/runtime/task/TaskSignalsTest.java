package io.sluice.runtime.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.graph.Partitioning;
import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.channel.BatchSizer;
import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.channel.Channel;
import io.sluice.runtime.channel.ChannelWriter;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.InProcessChannel;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.checkpoint.CheckpointResponder;
import io.sluice.runtime.checkpoint.TaskKey;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.operator.OperatorCounters;
import io.sluice.runtime.operator.OperatorSetup;
import io.sluice.runtime.operator.Output;
import io.sluice.runtime.operator.RecordTarget;
import io.sluice.runtime.operator.StreamOperator;
import io.sluice.runtime.operator.TransactionalSinkOperator;
import io.sluice.runtime.state.operator.OperatorStateStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Completion and abort notices reach a task whose mailbox is full (a neighbour of issue 12). They used to be mails
 * posted with {@code tryPut}, dropped without a word when the task's bounded mailbox was full: a transactional sink
 * then never committed a completed checkpoint's transactions, and an aborted checkpoint was taken anyway. Now they are
 * coalescing signals, acted on between input batches.
 *
 * <p>Each test runs a real task (two input channels, exactly-once alignment) whose head is a
 * {@link TransactionalSinkOperator}. The sink holds the task thread inside the record {@value #HOLD}; meanwhile the
 * test fills the mailbox to the brim and announces; then it lets the task go, ends its input and checks, once the task
 * has ended, what the operators saw. The job's successful end never comes here (the finalizer keeps its actions), so
 * whatever the sink committed, it committed because of a completion notice.
 */
@Timeout(30)
class TaskSignalsTest {
    /** Batches of at most 100 records (of a few bytes: far from a buffer), so records go out on flush or before an event. */
    private static BatchSizer strings() {
        return BatchSizer.of(Types.STRING, EngineConfig.DEFAULT_BUFFER_BYTES, 100);
    }
    private static final long WAIT_SECONDS = 10;
    private static final String HOLD = "hold";

    /** A two-phase-commit sink whose transactions name their checkpoint; writing {@value #HOLD} holds the task. */
    static final class HoldingSink implements TwoPhaseCommitSink<String, String> {
        final List<String> written = Collections.synchronizedList(new ArrayList<>());
        final List<String> preCommitted = Collections.synchronizedList(new ArrayList<>());
        final List<String> committed = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public TransactionalWriter<String, String> createWriter(SinkContext context) {
            return new TransactionalWriter<>() {
                @Override
                public void write(String record) throws InterruptedException {
                    written.add(record);
                    if (record.equals(HOLD)) {
                        holding.countDown();
                        if (!release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never let the task go");
                        }
                    }
                }

                @Override
                public void recover(List<String> committedByCheckpoint) {}

                @Override
                public String preCommit(long checkpointId) {
                    String transaction = checkpointId == Long.MAX_VALUE ? "tx-end" : "tx-" + checkpointId;
                    preCommitted.add(transaction);
                    return transaction;
                }

                @Override
                public void commit(String transaction) {
                    committed.add(transaction);
                }

                @Override
                public void close() {}
            };
        }
    }

    /** A chained operator that only records the completion notices it is given. */
    static final class CompletionRecorder implements StreamOperator {
        final List<Long> completed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void open(OperatorSetup setup) {}

        @Override
        public void processWatermark(long watermark) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            completed.add(checkpointId);
        }

        @Override
        public void close() {}
    }

    /** Records declines; the asynchronous part finds nothing to write (this test is about the task thread). */
    static final class DeclineRecorder implements CheckpointResponder {
        final List<Long> declined = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Optional<CheckpointWriter> writer(long checkpointId) {
            return Optional.empty();
        }

        @Override
        public void acknowledge(TaskKey task, long checkpointId, List<StateFileHandle> files, long alignmentMillis) {}

        @Override
        public void decline(TaskKey task, long checkpointId, String reason) {
            declined.add(checkpointId);
        }
    }

    private final Wakeup wakeup = new Wakeup();
    private final Channel[] channels = {new InProcessChannel(16, wakeup), new InProcessChannel(16, wakeup)};
    private final ChannelWriter[] upstream = {upstreamOf(channels[0]), upstreamOf(channels[1])};
    private final HoldingSink sink = new HoldingSink();
    private final CompletionRecorder recorder = new CompletionRecorder();
    private final DeclineRecorder responder = new DeclineRecorder();
    private final MailboxTest.Listener listener = new MailboxTest.Listener();
    private final Mailbox mailbox = new Mailbox(wakeup);
    private final Task task = sinkTask();

    private static ChannelWriter upstreamOf(Channel channel) {
        return new ChannelWriter(new Channel[] {channel}, new Partitioning.Forward(), 0, 128, strings(), new Cancellation(),
                "Sink");
    }

    /** The sink at the head of the chain, the recorder chained after it; checkpoints on, aligned (exactly-once). */
    private Task sinkTask() {
        TransactionalSinkOperator<String, String> head = new TransactionalSinkOperator<>(sink);
        Output nowhere = new Output(new RecordTarget[0], Map.of(), new RecordTarget[0], new OperatorCounters());
        OperatorSetup sinkSetup = new OperatorSetup("Sink", 0, 1, 128, nowhere, null, new OperatorStateStore(), null,
                action -> {}); // the job's end never comes: the last transactions stay uncommitted
        OperatorSetup recorderSetup = new OperatorSetup("Recorder", 0, 1, 128, nowhere, null, new OperatorStateStore(),
                null);
        List<ChainMember> chain = List.of(new ChainMember("Sink", head, sinkSetup),
                new ChainMember("Recorder", recorder, recorderSetup));
        InputSpec input = new InputSpec.Channels(channels, new int[] {0, 0}, head, new OperatorCounters(), "Sink");
        return new Task("Sink", 0, 1, chain, input, List.of(), wakeup, mailbox, new Cancellation(), listener, 50,
                new TaskCheckpointing(new TaskKey(0, 0, 0), null, true, responder, Runnable::run));
    }

    /** Waits until the task thread is inside the record {@value #HOLD}, then fills its mailbox; the mails put. */
    private int holdTheTaskWithAFullMailbox(AtomicInteger mailsRun) throws InterruptedException {
        assertTrue(sink.holding.await(WAIT_SECONDS, TimeUnit.SECONDS), "the task reached the record " + HOLD);
        int put = 0;
        for (int i = 0; i < 100_000 && mailbox.tryPut(mailsRun::incrementAndGet); i++) {
            put++;
        }
        assertFalse(mailbox.tryPut(mailsRun::incrementAndGet), "the mailbox is full");
        return put;
    }

    /** Lets the held task go and waits until it has ended (its input is all written already). */
    private void releaseAndAwaitTheEnd(Thread thread) throws InterruptedException {
        sink.release.countDown();
        awaitTheEnd(thread);
    }

    private void awaitTheEnd(Thread thread) throws InterruptedException {
        assertTrue(listener.terminated.await(WAIT_SECONDS, TimeUnit.SECONDS), "the task ended");
        thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertNull(listener.failure.get(), "the task did not fail");
    }

    private void endOfInput(int channel) {
        upstream[channel].broadcastEvent(ControlEvent.EndOfInput.INSTANCE);
    }

    /**
     * Checkpoints 5 and 7 are taken (the sink pre-commits tx-5 and tx-7); while the task is busy with a record and its
     * mailbox is full, 5 and then 7 are announced complete. The task acts on them before it reads on: the chained
     * recorder is told once, of 7 (the newest covers every checkpoint up to it), and the sink commits both
     * transactions up to 7. Before, both notices were dropped and nothing was committed.
     */
    @Test
    void completionsAnnouncedWhileTheMailboxIsFullAreActedOnAsTheNewestOne() throws Exception {
        for (int c = 0; c < 2; c++) {
            upstream[c].accept("a" + c, 0L);
            upstream[c].broadcastEvent(new ControlEvent.Barrier(5));
            upstream[c].accept("b" + c, 0L);
            upstream[c].broadcastEvent(new ControlEvent.Barrier(7));
        }
        upstream[0].accept(HOLD, 0L); // after barrier 7 on its channel: checkpoint 7 is taken when the task holds
        endOfInput(0);
        endOfInput(1);
        Thread thread = task.start("signals");
        AtomicInteger mailsRun = new AtomicInteger();
        int mails = holdTheTaskWithAFullMailbox(mailsRun);
        assertEquals(List.of("tx-5", "tx-7"), sink.preCommitted, "checkpoints 5 and 7 were taken before the hold");

        task.notifyCheckpointComplete(5);
        task.notifyCheckpointComplete(7);
        releaseAndAwaitTheEnd(thread);

        assertEquals(mails, mailsRun.get(), "every mail ran");
        assertEquals(List.of(7L), recorder.completed, "told once, of the newest completed checkpoint");
        assertEquals(List.of("tx-5", "tx-7"), sink.committed, "every transaction up to checkpoint 7 committed");
        assertEquals(List.of("tx-5", "tx-7", "tx-end"), sink.preCommitted);
        assertTrue(responder.declined.isEmpty(), "nothing declined: " + responder.declined);
    }

    /**
     * What stop-with-savepoint relies on: after announcing the savepoint complete it calls {@link Task#awaitMailsRun}
     * on every task ("let every task run them, transactional sinks commit what the savepoint covers, before
     * stopping"), then cancels the job. Called while the task is busy and its mailbox full, that wait must still wait
     * (up to its time-out) for the completion to be acted on. Before, it returned {@code false} at once (its mail was
     * refused) and the stop cancelled: a task held by backpressure was then stopped before it got back to its loop, and
     * the savepoint's transactions stayed uncommitted. Now the wait offers its mail again until there is room and
     * waits for the signals announced before it to be acted on.
     */
    @Test
    void waitingForACompletionNoticeWaitsEvenWhenTheMailboxIsFull() throws Exception {
        for (int c = 0; c < 2; c++) {
            upstream[c].broadcastEvent(new ControlEvent.Barrier(7));
        }
        upstream[0].accept(HOLD, 0L);
        upstream[0].flush(); // no end of input yet: the task goes on after the hold, for the wait to see
        Thread thread = task.start("signals");
        holdTheTaskWithAFullMailbox(new AtomicInteger());
        task.notifyCheckpointComplete(7);

        boolean[] acted = new boolean[1];
        List<String> committedWhenDone = Collections.synchronizedList(new ArrayList<>());
        Thread stop = new Thread(() -> {
            try {
                acted[0] = task.awaitMailsRun(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                committedWhenDone.addAll(sink.committed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-with-savepoint wait");
        stop.start();
        // Let the task go only once the wait has either given up (a refused mail) or waits (parked).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (stop.getState() != Thread.State.TERMINATED && stop.getState() != Thread.State.TIMED_WAITING
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        boolean gaveUpWhileHeld = stop.getState() == Thread.State.TERMINATED;
        sink.release.countDown();
        stop.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        endOfInput(0);
        endOfInput(1);
        awaitTheEnd(thread);

        assertFalse(gaveUpWhileHeld, "the wait returned while the task was still busy, completion not acted on");
        assertTrue(acted[0], "the wait saw the completion acted on");
        assertEquals(List.of("tx-7"), committedWhenDone, "committed when the wait returned");
    }

    /**
     * While the task is busy with a record and its mailbox is full, checkpoint 8 is aborted. Its barriers are (or
     * come) on both channels, but the task never takes it: it declines 8, and the sink pre-commits nothing for it.
     * Before, the abort was dropped, the task aligned 8 once the barriers were read and took it (the sink pre-committed
     * tx-8), without any decline.
     */
    @Test
    void anAbortAnnouncedWhileTheMailboxIsFullStopsTheCheckpoint() throws Exception {
        upstream[0].accept(HOLD, 0L);
        upstream[0].broadcastEvent(new ControlEvent.Barrier(8));
        upstream[0].accept("after", 0L);
        upstream[1].broadcastEvent(new ControlEvent.Barrier(8)); // read before or after the hold: either way
        endOfInput(0);
        endOfInput(1);
        Thread thread = task.start("signals");
        AtomicInteger mailsRun = new AtomicInteger();
        int mails = holdTheTaskWithAFullMailbox(mailsRun);

        task.abortCheckpoint(8);
        releaseAndAwaitTheEnd(thread);

        assertEquals(mails, mailsRun.get(), "every mail ran");
        assertEquals(List.of(8L), responder.declined, "the aborted checkpoint is declined");
        assertEquals(List.of("tx-end"), sink.preCommitted, "checkpoint 8 was never taken");
        assertEquals(List.of(HOLD, "after"), sink.written);
        assertTrue(recorder.completed.isEmpty() && sink.committed.isEmpty(), "nothing completed, nothing committed");
    }
}
