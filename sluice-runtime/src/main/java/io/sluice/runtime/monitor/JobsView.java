package io.sluice.runtime.monitor;

import java.util.List;
import java.util.Optional;

/**
 * The jobs of one process (the embedded cluster, or a cluster's coordinator) and the slots they run in: what the REST
 * API serves. Implemented by {@link JobRegistry} and by the coordinator's job table. Thread-safe.
 */
public interface JobsView {

    /** The ids of the jobs known, oldest first (bounded by the implementation). */
    List<String> jobIds();

    /** Job {@code id}, or empty when there is none. */
    Optional<JobView> job(String id);

    /** How to steer job {@code id}, or empty when there is none. */
    Optional<JobControl> control(String id);

    /** Workers of this process's cluster (1 for the embedded cluster). */
    int workers();

    /** Slots of all workers; free slots follow from the running jobs. */
    int slots();

    /**
     * Each worker's own gauges as it last reported them, by worker id then metric name (Micrometer's dotted form,
     * e.g. {@code sluice.worker.network.buffers.used}); empty where workers report none (the embedded cluster, whose
     * one JVM is measured directly). Bounded by the workers registered.
     */
    default java.util.Map<String, java.util.Map<String, Double>> workerGauges() {
        return java.util.Map.of();
    }
}
