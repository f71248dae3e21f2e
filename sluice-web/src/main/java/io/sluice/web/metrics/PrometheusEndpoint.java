package io.sluice.web.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.JobsView;
import io.sluice.web.api.Sampler;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /metrics}: the jobs' metrics and this JVM's (memory, GC, threads, uptime) in Prometheus' text format,
 * through Micrometer's Prometheus registry. At each scrape the job meters are brought up to date with the jobs
 * listed: new series registered, series of jobs gone removed, so cardinality stays bounded by jobs x vertices x
 * subtasks (labels {@code job}, {@code vertex}, {@code operator}, {@code subtask} only; never a key), and each
 * registered worker's own gauges (label {@code worker}) on a cluster's coordinator. Thread-safe
 * (scrapes are serialized).
 */
public final class PrometheusEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final JobsView jobs;
    private final Sampler sampler;
    /** The value of each job series, by name and tags, read by its meter. */
    private final Map<Meter.Id, double[]> values = new HashMap<>();
    private final Map<Meter.Id, Meter> meters = new HashMap<>();

    public PrometheusEndpoint(JobsView jobs, Sampler sampler) {
        this.jobs = jobs;
        this.sampler = sampler;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The exposition text, version 0.0.4. */
    public synchronized String scrape() {
        Set<Meter.Id> seen = new HashSet<>();
        long now = System.currentTimeMillis();
        for (String id : jobs.jobIds()) {
            JobView job = jobs.job(id).orElse(null);
            if (job == null) {
                continue;
            }
            Tags jobTag = Tags.of("job", id);
            counter(seen, "sluice.job.restarts", jobTag, job.restarts());
            gauge(seen, "sluice.job.uptime.seconds", jobTag, job.durationMillis() / 1000.0);
            gauge(seen, "sluice.job.running", jobTag, job.state().equals("RUNNING") ? 1 : 0);
            List<CheckpointRecord> checkpoints = job.checkpoints();
            long completed = checkpoints.stream().filter(c -> c.status().equals("COMPLETED")).count();
            counter(seen, "sluice.checkpoints.completed", jobTag, completed);
            counter(seen, "sluice.checkpoints.failed", jobTag, checkpoints.size() - completed);
            if (!checkpoints.isEmpty()) {
                CheckpointRecord last = checkpoints.getLast();
                gauge(seen, "sluice.checkpoint.last.duration.seconds", jobTag, last.durationMillis() / 1000.0);
                gauge(seen, "sluice.checkpoint.last.size.bytes", jobTag, last.sizeBytes());
                gauge(seen, "sluice.checkpoint.last.alignment.seconds", jobTag, last.alignmentMillis() / 1000.0);
            }
            for (JobView.Vertex v : job.vertices()) {
                for (Sampler.Rated r : sampler.rated(id, job, v.id())) {
                    Tags tags = jobTag.and("vertex", Integer.toString(v.id()), "operator", v.name(), "subtask",
                            Integer.toString(r.counters().subtask()));
                    counter(seen, "sluice.records.in", tags, r.counters().recordsIn());
                    counter(seen, "sluice.records.out", tags, r.counters().recordsOut());
                    gauge(seen, "sluice.records.in.per.second", tags, r.recordsInPerSecond());
                    gauge(seen, "sluice.records.out.per.second", tags, r.recordsOutPerSecond());
                    gauge(seen, "sluice.busy.ratio", tags, r.busyRatio());
                    gauge(seen, "sluice.idle.ratio", tags, r.idleRatio());
                    gauge(seen, "sluice.backpressured.ratio", tags, r.backpressuredRatio());
                    if (r.counters().stateSizeBytes() >= 0) {
                        gauge(seen, "sluice.state.size.bytes", tags, r.counters().stateSizeBytes());
                    }
                    long w = r.counters().inputWatermark();
                    if (w != Long.MIN_VALUE) {
                        gauge(seen, "sluice.watermark.milliseconds", tags, w);
                        gauge(seen, "sluice.watermark.lag.seconds", tags, (now - w) / 1000.0);
                    }
                }
            }
        }
        jobs.workerGauges().forEach((worker, gauges) -> {
            Tags tags = Tags.of("worker", worker);
            gauges.forEach((name, value) -> gauge(seen, name, tags, value));
        });
        for (Map.Entry<Meter.Id, Meter> e : Map.copyOf(meters).entrySet()) {
            if (!seen.contains(e.getKey())) {
                registry.remove(e.getValue());
                meters.remove(e.getKey());
                values.remove(e.getKey());
            }
        }
        sampler.prune();
        return registry.scrape();
    }

    private void counter(Set<Meter.Id> seen, String name, Tags tags, double value) {
        Meter.Id id = new Meter.Id(name, tags, null, null, Meter.Type.COUNTER);
        double[] holder = holder(seen, id, value);
        meters.computeIfAbsent(id, k -> FunctionCounter.builder(name, holder, h -> h[0]).tags(tags).register(registry));
    }

    private void gauge(Set<Meter.Id> seen, String name, Tags tags, double value) {
        Meter.Id id = new Meter.Id(name, tags, null, null, Meter.Type.GAUGE);
        double[] holder = holder(seen, id, value);
        meters.computeIfAbsent(id, k -> Gauge.builder(name, holder, h -> h[0]).tags(tags).strongReference(true)
                .register(registry));
    }

    private double[] holder(Set<Meter.Id> seen, Meter.Id id, double value) {
        seen.add(id);
        double[] holder = values.computeIfAbsent(id, k -> new double[1]);
        holder[0] = value;
        return holder;
    }

    @Override
    public synchronized void close() {
        gc.close();
        registry.close();
    }
}
