package io.sluice.cluster.worker;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's periodic measurements of the attempts it runs, for its coordinator: every {@link #INTERVAL_MILLIS} one
 * thread ({@code sluice worker: metrics}, owned here until {@link #close()}) runs each of its reports in turn (the
 * spread shares', the whole attempts'). A report never waits: it sends only when the control stream has room, else
 * drops that measurement, which the next one replaces. A report that throws is logged and runs again next time.
 */
final class MetricsReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsReporter.class);
    /** How often each running attempt's counters go to the coordinator. */
    static final long INTERVAL_MILLIS = 1_000;

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice worker: metrics");
        t.setDaemon(true);
        return t;
    });

    /** Starts reporting: {@code reports} run on the reporter's thread, first after one interval. */
    MetricsReporter(List<Runnable> reports) {
        List<Runnable> each = List.copyOf(reports);
        thread.scheduleWithFixedDelay(() -> {
            for (Runnable report : each) {
                try {
                    report.run();
                } catch (RuntimeException e) {
                    LOG.warn("Measuring the attempts here failed; tried again in {} ms", INTERVAL_MILLIS, e);
                }
            }
        }, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops reporting; a round in progress is interrupted. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
