package io.sluice.web.api;

import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.JobsView;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns cumulative counters into rates and ratios: remembers, per job, vertex and subtask, the reading before the
 * latest one that is at least {@link #MIN_INTERVAL_NANOS} older by the counters' own clock (their elapsed time, so a
 * reading a worker reported once a second counts once however often it is read), so records/s and the busy/idle/backpressured ratios
 * describe about the last second whoever asks (REST, dashboard, metrics). Bounded: entries of jobs no longer listed
 * are dropped. Thread-safe.
 */
public final class Sampler {
    /** Rates are over at least this long. */
    static final long MIN_INTERVAL_NANOS = 500_000_000L;
    private final JobsView jobs;
    private final Map<String, SubtaskCounters[]> readings = new ConcurrentHashMap<>();

    /** A subtask's counters with the rates over the last interval. */
    public record Rated(SubtaskCounters counters, double recordsInPerSecond, double recordsOutPerSecond,
            double busyRatio, double idleRatio, double backpressuredRatio) {}

    public Sampler(JobsView jobs) {
        this.jobs = jobs;
    }

    /** Each subtask of vertex {@code vertexId} of job {@code jobId} with its rates. */
    public List<Rated> rated(String jobId, JobView job, int vertexId) {
        return job.subtasks(vertexId).stream().map(c -> rate(jobId + "/" + vertexId + "/" + c.subtask(), c)).toList();
    }

    private Rated rate(String key, SubtaskCounters c) {
        SubtaskCounters[] pair = readings.compute(key, (k, old) -> {
            if (old == null || c.elapsedNanos() < old[1].elapsedNanos()) {
                return new SubtaskCounters[] {c, c}; // first reading, or a new attempt restarted the counters
            }
            // Advanced by the counters' own clock: a reading reported from elsewhere (a worker, about once a second)
            // read twice is not a new interval.
            return c.elapsedNanos() - old[1].elapsedNanos() >= MIN_INTERVAL_NANOS
                    ? new SubtaskCounters[] {old[1], c} : old;
        });
        SubtaskCounters b = pair[0];
        long elapsed = c.elapsedNanos() - b.elapsedNanos();
        if (elapsed <= 0) {
            double total = Math.max(1, c.elapsedNanos());
            return new Rated(c, c.recordsIn() * 1e9 / total, c.recordsOut() * 1e9 / total,
                    busy(c.elapsedNanos(), c.idleNanos(), c.backpressuredNanos()), ratio(c.idleNanos(), total),
                    ratio(c.backpressuredNanos(), total));
        }
        double seconds = elapsed / 1e9;
        long idle = c.idleNanos() - b.idleNanos();
        long pressured = c.backpressuredNanos() - b.backpressuredNanos();
        return new Rated(c, (c.recordsIn() - b.recordsIn()) / seconds, (c.recordsOut() - b.recordsOut()) / seconds,
                busy(elapsed, idle, pressured), ratio(idle, elapsed), ratio(pressured, elapsed));
    }

    private static double busy(long elapsed, long idle, long pressured) {
        return elapsed <= 0 ? 0 : Math.max(0, 1 - ratio(idle, elapsed) - ratio(pressured, elapsed));
    }

    private static double ratio(double part, double whole) {
        return whole <= 0 ? 0 : Math.min(1, Math.max(0, part / whole));
    }

    /** Forgets jobs no longer listed. */
    public void prune() {
        List<String> ids = jobs.jobIds();
        readings.keySet().removeIf(k -> !ids.contains(k.substring(0, k.indexOf('/'))));
    }
}
