package io.sluice.cluster.coordinator;

import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.runtime.monitor.JobControl;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.JobsView;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's jobs, workers and slots as the REST API ({@code --rest-port}) serves them: the job table's jobs
 * ({@link ClusterJobView}), steered through the same table calls as the command line's. Thread-safe.
 */
public final class CoordinatorJobs implements JobsView {
    private final Jobs table;
    private final WorkerRegistry registry;

    CoordinatorJobs(Jobs table, WorkerRegistry registry) {
        this.table = table;
        this.registry = registry;
    }

    @Override
    public List<String> jobIds() {
        return table.ids();
    }

    @Override
    public Optional<JobView> job(String id) {
        return Optional.ofNullable(table.job(id)).map(j -> new ClusterJobView(table, j));
    }

    @Override
    public Optional<JobControl> control(String id) {
        return Optional.ofNullable(table.job(id)).map(j -> new JobControl() {
            @Override
            public String savepoint(String directory) throws Exception {
                return table.savepoint(id, directory, false);
            }

            @Override
            public String stopWithSavepoint(String directory) throws Exception {
                return table.savepoint(id, directory, true);
            }

            @Override
            public void cancel() {
                table.cancel(id);
            }
        });
    }

    @Override
    public int workers() {
        return registry.status().size();
    }

    @Override
    public int slots() {
        return registry.status().stream().mapToInt(WorkerStatus::slots).sum();
    }

    /**
     * The gauges of each registered worker, as its latest heartbeat carried them (every worker beats about once a
     * second, idle or not); a worker without any yet (just registered) is left out, and one removed is gone.
     */
    @Override
    public Map<String, Map<String, Double>> workerGauges() {
        Map<String, Map<String, Double>> result = new java.util.TreeMap<>();
        registry.gauges().forEach((worker, gauges) -> {
            Map<String, Double> named = WorkerGaugeNames.of(gauges);
            if (!named.isEmpty()) {
                result.put(worker, named);
            }
        });
        return result;
    }
}
