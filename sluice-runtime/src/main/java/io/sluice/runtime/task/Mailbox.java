package io.sluice.runtime.task;

import io.sluice.runtime.channel.Wakeup;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Control actions for a task, run on the task's own thread between input batches (Flink's mailbox model):
 * checkpoint triggers, timers and completions become mails, so operators and their state are only ever touched
 * by one thread and need no locks. Any thread may post a mail; it wakes the task if it waits for input.
 * A mail that throws fails the task.
 */
public final class Mailbox {
    private static final int CAPACITY = 1024;

    /** A control action. */
    @FunctionalInterface
    public interface Mail {
        void run() throws Exception;
    }

    private final ArrayBlockingQueue<Mail> mails = new ArrayBlockingQueue<>(CAPACITY);
    private final Wakeup wakeup;

    public Mailbox(Wakeup wakeup) {
        this.wakeup = wakeup;
    }

    /** Enqueues a mail; waits while the mailbox is full (a bound, not an expected state). */
    public void put(Mail mail) throws InterruptedException {
        mails.put(mail);
        wakeup.wake();
    }

    /** Enqueues a mail unless the mailbox is full; {@code false} then. */
    public boolean tryPut(Mail mail) {
        if (!mails.offer(mail)) {
            return false;
        }
        wakeup.wake();
        return true;
    }

    boolean isEmpty() {
        return mails.isEmpty();
    }

    /** Task thread: runs every mail present now. */
    void runAll() throws Exception {
        Mail mail;
        while ((mail = mails.poll()) != null) {
            mail.run();
        }
    }
}
