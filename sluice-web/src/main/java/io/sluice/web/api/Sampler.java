package io.sluice.web.api;

import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.JobsView;
import io.sluice.runtime.monitor.SubtaskCounters;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns cumulative counters into rates and ratios: remembers, per job, vertex and subtask, the reading before the
 * latest one that is at least {@link #MIN_INTERVAL_NANOS} older, so records/s and the busy/idle/backpressured ratios
 * describe about the last second whoever asks (REST, dashboard, metrics). Bounded: entries of jobs no longer listed
 * are dropped. Thread-safe.
 */
public final class Sampler {
    /** Rates are over at least this long. */
    static final long MIN_INTERVAL_NANOS = 500_000_000L;
    private final JobsView jobs;
    private final Map<String, Reading[]> readings = new ConcurrentHashMap<>();

    /** A subtask's counters with the rates over the last interval. */
    public record Rated(SubtaskCounters counters, double recordsInPerSecond, double recordsOutPerSecond,
            double busyRatio, double idleRatio, double backpressuredRatio) {}

    private record Reading(long nanos, SubtaskCounters counters) {}

    public Sampler(JobsView jobs) {
        this.jobs = jobs;
    }

    /** Each subtask of vertex {@code vertexId} of job {@code jobId} with its rates. */
    public List<Rated> rated(String jobId, JobView job, int vertexId) {
        long now = System.nanoTime();
        return job.subtasks(vertexId).stream().map(c -> rate(jobId + "/" + vertexId + "/" + c.subtask(), now, c)).toList();
    }

    private Rated rate(String key, long now, SubtaskCounters c) {
        Reading current = new Reading(now, c);
        Reading[] pair = readings.compute(key, (k, old) -> {
            if (old == null || c.elapsedNanos() < old[1].counters.elapsedNanos()) {
                return new Reading[] {current, current}; // first reading, or a new attempt restarted the counters
            }
            return now - old[1].nanos >= MIN_INTERVAL_NANOS ? new Reading[] {old[1], current} : old;
        });
        Reading before = pair[0];
        if (before.counters == c || now - before.nanos <= 0) {
            double elapsed = Math.max(1, c.elapsedNanos());
            return new Rated(c, c.recordsIn() * 1e9 / elapsed, c.recordsOut() * 1e9 / elapsed,
                    busy(c.elapsedNanos(), c.idleNanos(), c.backpressuredNanos()), ratio(c.idleNanos(), elapsed),
                    ratio(c.backpressuredNanos(), elapsed));
        }
        SubtaskCounters b = before.counters;
        double seconds = Math.max(1, now - before.nanos) / 1e9;
        long elapsed = c.elapsedNanos() - b.elapsedNanos();
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
