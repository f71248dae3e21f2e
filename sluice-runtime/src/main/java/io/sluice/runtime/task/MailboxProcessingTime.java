package io.sluice.runtime.task;

import io.sluice.runtime.timer.ProcessingTimeService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall clock for one task: a callback is scheduled on the job's timer thread, which at the time only posts a
 * mail; the callback itself runs on the task thread. After the job ends the timer thread is shut down and pending
 * callbacks are dropped (processing-time timers do not hold a finished bounded job open).
 */
public final class MailboxProcessingTime implements ProcessingTimeService {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxProcessingTime.class);

    private final ScheduledExecutorService scheduler;
    private final Mailbox mailbox;

    public MailboxProcessingTime(ScheduledExecutorService scheduler, Mailbox mailbox) {
        this.scheduler = scheduler;
        this.mailbox = mailbox;
    }

    @Override
    public long currentTime() {
        return System.currentTimeMillis();
    }

    @Override
    public void scheduleAt(long time, Callback callback) {
        schedule(time, callback, Math.max(0, time - currentTime()));
    }

    private void schedule(long time, Callback callback, long delayMillis) {
        try {
            scheduler.schedule(() -> {
                if (!mailbox.tryPut(() -> callback.onProcessingTime(time))) {
                    // A full mailbox is a transient state: try again shortly rather than lose the timer.
                    schedule(time, callback, 10);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("job ended: processing-time callback for {} not scheduled", time);
        }
    }
}
