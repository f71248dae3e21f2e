package io.sluice.runtime.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.operator.OneInputOperator;
import io.sluice.runtime.operator.OperatorSetup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The task's mailbox loop: mails put from other threads run on the task thread, in order, and wake a task that is
 * parked waiting for input; plus the task's life cycle around it.
 */
@Timeout(30)
class MailboxTest {

    /** An input that never has records, asks to sleep for an hour, and ends once told to. */
    static class IdleInput implements TaskInput {
        volatile boolean end;
        volatile boolean closed;
        final AtomicInteger polls = new AtomicInteger();

        @Override
        public Status processSome() {
            polls.incrementAndGet();
            return end ? Status.ENDED : Status.NOTHING_NOW;
        }

        @Override
        public boolean hasInputNow() {
            return false;
        }

        @Override
        public long maxWaitNanos() {
            return TimeUnit.HOURS.toNanos(1); // only a wake-up can end the wait in time
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Logs its life cycle into a shared list. */
    static final class LoggingOperator implements OneInputOperator<Object> {
        final String name;
        final List<String> log;

        LoggingOperator(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void open(OperatorSetup setup) {
            log.add("open " + name);
        }

        @Override
        public void processRecord(Object record, long timestamp) {
            log.add("record " + name);
        }

        @Override
        public void processWatermark(long watermark) {}

        @Override
        public void endInput() {
            log.add("endInput " + name);
        }

        @Override
        public void close() {
            log.add("close " + name);
        }
    }

    static class Listener implements TaskListener {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch terminated = new CountDownLatch(1);

        @Override
        public void onFailure(Task task, Throwable t) {
            failure.set(t);
        }

        @Override
        public void onTerminated(Task task) {
            terminated.countDown();
        }
    }

    private static Task task(TaskInput input, List<ChainMember> chain, Cancellation cancellation, Listener listener) {
        Wakeup wakeup = new Wakeup();
        return new Task("Test", 0, 1, chain, input, List.of(), wakeup, new Mailbox(wakeup), cancellation, listener, 50);
    }

    private static ChainMember member(String name, List<String> log) {
        return new ChainMember(name, new LoggingOperator(name, log), new OperatorSetup(name, 0, 1, 128, null, null, null, null));
    }

    @Test
    void mailsFromAnotherThreadRunOnTheTaskThreadInOrderAndWakeTheParkedTask() throws Exception {
        IdleInput input = new IdleInput();
        Listener listener = new Listener();
        Task task = task(input, List.of(), new Cancellation(), listener);
        Thread thread = task.start("mailbox-test");
        assertTrue(thread.getName().startsWith("sluice mailbox-test: Test (1/1)"), thread.getName());

        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        int rounds = 300;
        for (int i = 0; i < rounds; i++) {
            int index = i;
            // wait until the task is parked waiting for input (up to an hour), then wake it with a mail
            while (thread.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            task.mailbox().put(() -> {
                order.add(index);
                ranOn.add(Thread.currentThread());
                done.incrementAndGet();
            });
            while (done.get() <= i) {
                Thread.onSpinWait(); // a lost wake-up would leave the task parked for an hour: the @Timeout fails
            }
        }
        // a burst of mails without waiting: all run, in the order they were put
        for (int i = rounds; i < rounds + 500; i++) {
            int index = i;
            task.mailbox().put(() -> {
                order.add(index);
                ranOn.add(Thread.currentThread());
            });
        }
        task.mailbox().put(() -> input.end = true);
        assertTrue(listener.terminated.await(20, TimeUnit.SECONDS), "the task ended after its last mail");
        thread.join(5_000);

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < rounds + 500; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
        for (Thread t : ranOn) {
            assertSame(thread, t, "a mail ran on " + t.getName());
        }
        assertNull(listener.failure.get());
        assertTrue(input.closed);
    }

    @Test
    void aFailingMailFailsTheTaskAndTheOperatorsAreStillClosed() throws Exception {
        IdleInput input = new IdleInput();
        Listener listener = new Listener();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Task task = task(input, List.of(member("A", log)), new Cancellation(), listener);
        Thread thread = task.start("mailbox-failure");
        task.mailbox().put(() -> {
            throw new IllegalStateException("mail failed");
        });
        assertTrue(listener.terminated.await(20, TimeUnit.SECONDS));
        thread.join(5_000);
        assertInstanceOf(IllegalStateException.class, listener.failure.get());
        assertEquals("mail failed", listener.failure.get().getMessage());
        assertEquals(List.of("open A", "close A"), log, "no endInput after a failure, close always");
        assertTrue(input.closed);
    }

    @Test
    void operatorsOpenLastFirstEndInChainOrderAndAllClose() throws Exception {
        IdleInput input = new IdleInput();
        input.end = true;
        Listener listener = new Listener();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Task task = task(input, List.of(member("A", log), member("B", log), member("C", log)), new Cancellation(), listener);
        Thread thread = task.start("lifecycle");
        assertTrue(listener.terminated.await(20, TimeUnit.SECONDS));
        thread.join(5_000);
        assertNull(listener.failure.get());
        assertEquals(List.of("open C", "open B", "open A", "endInput A", "endInput B", "endInput C", "close A", "close B",
                "close C"), log);
    }

    @Test
    void aCancelledTaskStopsWithoutReportingAFailure() throws Exception {
        IdleInput input = new IdleInput();
        Listener listener = new Listener();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Cancellation cancellation = new Cancellation();
        Task task = task(input, List.of(member("A", log)), cancellation, listener);
        Thread thread = task.start("cancel");
        while (input.polls.get() == 0) {
            Thread.onSpinWait();
        }
        cancellation.cancel();
        thread.interrupt(); // what the job does to every task thread on cancel
        assertTrue(listener.terminated.await(20, TimeUnit.SECONDS));
        thread.join(5_000);
        assertNull(listener.failure.get(), "cancellation is not a failure");
        assertEquals(List.of("open A", "close A"), log);
    }

    @Test
    void runAllRunsEveryMailPresentInFifoOrder() throws Exception {
        Mailbox mailbox = new Mailbox(new Wakeup());
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int index = i;
            mailbox.put(() -> ran.add(index));
        }
        assertTrue(!mailbox.isEmpty());
        mailbox.runAll();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ran);
        assertTrue(mailbox.isEmpty());
    }

    /** A listener that runs out of memory the first time it hears of a failure (as a job at its memory limit may). */
    static final class ExhaustedListener extends Listener {
        final AtomicInteger failureCalls = new AtomicInteger();

        @Override
        public void onFailure(Task task, Throwable t) {
            if (failureCalls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("simulated: no memory to handle the failure");
            }
            super.onFailure(task, t);
        }
    }

    @Test
    void aFailureThatCannotBeReportedAtOnceIsReportedAfterClosingAndTheTaskStillTerminates() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        ExhaustedListener listener = new ExhaustedListener();
        TaskInput failing = new IdleInput() {
            @Override
            public Status processSome() {
                throw new OutOfMemoryError("simulated: Java heap space");
            }
        };
        Task task = task(failing, List.of(member("op", log)), new Cancellation(), listener);
        task.start("exhausted");
        assertTrue(listener.terminated.await(10, TimeUnit.SECONDS), "the task never reported its end");
        assertEquals(2, listener.failureCalls.get(), "the failure is reported again after closing");
        assertTrue(listener.failure.get() instanceof OutOfMemoryError, String.valueOf(listener.failure.get()));
        assertTrue(log.contains("close op"), log.toString());
    }
}
