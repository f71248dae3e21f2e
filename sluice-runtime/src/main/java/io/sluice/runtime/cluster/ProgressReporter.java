package io.sluice.runtime.cluster;

import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.OperatorMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a job's progress every interval on the logger {@code io.sluice.progress}: records in and out per operator
 * and the sources' records per second over the last interval. The interval is the job's submit option
 * ({@link io.sluice.api.execution.SubmitOptions#progressInterval()}, the CLI's {@code --progress-interval}); off by
 * default so embedded use stays quiet. Owns one daemon thread, stopped when the job ends.
 */
final class ProgressReporter implements AutoCloseable {
    private static final Logger PROGRESS = LoggerFactory.getLogger("io.sluice.progress");

    private final Thread thread;
    private volatile boolean stopped;

    private ProgressReporter(String jobName, long intervalMillis, Supplier<JobProgress> progress, List<Integer> sourceIds) {
        thread = new Thread(() -> run(intervalMillis, progress, sourceIds), "sluice " + jobName + ": progress");
        thread.setDaemon(true);
    }

    /** Starts a reporter logging every {@code interval}; for a zero interval, none, and returns {@code null}. */
    static ProgressReporter startIfEnabled(String jobName, Duration interval, Supplier<JobProgress> progress,
            List<Integer> sourceIds) {
        if (interval.isZero()) {
            return null;
        }
        ProgressReporter r = new ProgressReporter(jobName, Math.max(1, interval.toMillis()), progress, sourceIds);
        r.thread.start();
        return r;
    }

    private void run(long intervalMillis, Supplier<JobProgress> progress, List<Integer> sourceIds) {
        long lastRead = 0;
        long lastNanos = System.nanoTime();
        while (!stopped) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) {
                return;
            }
            JobProgress p = progress.get();
            long read = p.operators().stream().filter(o -> sourceIds.contains(o.nodeId())).mapToLong(OperatorMetrics::recordsOut).sum();
            long now = System.nanoTime();
            double perSecond = (read - lastRead) * 1e9 / Math.max(1, now - lastNanos);
            lastRead = read;
            lastNanos = now;
            PROGRESS.info(format(p, perSecond));
        }
    }

    static String format(JobProgress p, double sourceRecordsPerSecond) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "[%ds] %,.0f records/s |", p.elapsed().toSeconds(), sourceRecordsPerSecond));
        for (OperatorMetrics o : p.operators()) {
            sb.append(String.format(Locale.ROOT, " %s in=%,d out=%,d |", o.name(), o.recordsIn(), o.recordsOut()));
        }
        sb.setLength(sb.length() - 2);
        return sb.toString();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
