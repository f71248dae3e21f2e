package io.sluice.cluster.worker;

import io.sluice.api.graph.JobGraph;
import io.sluice.runtime.operator.factory.OperatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds a spread attempt's RocksDB backends by the worker's managed memory: the keyed operators of one slot (the
 * attempt's subtasks of one index) share one budget of the slot's share, one block cache and write buffer manager (as
 * Flink's managed memory), rather than each getting a fixed part. A job whose own per-backend setting fits the slot's
 * share for all its keyed operators keeps it. Stateless.
 */
final class SlotMemory {
    private static final Logger LOG = LoggerFactory.getLogger(SlotMemory.class);
    /** The RocksDB backend's option keys (its RocksDbOptions; a worker does not depend on the backend's module). */
    private static final String ROCKSDB_MEMORY = "rocksdb.memory";
    private static final String ROCKSDB_MEMORY_SHARED_BY = "rocksdb.memory.shared-by";

    private SlotMemory() {}

    /** {@code graph} with its RocksDB budgets set for attempt {@code attempt} of {@code job}; as it is without memory. */
    static JobGraph bound(JobGraph graph, WorkerMemory memory, String job, int attempt) {
        if (memory == null || !graph.config().stateBackend().equals("rocksdb")) {
            return graph;
        }
        long keyed = graph.nodes().stream().filter(n -> OperatorFactory.keyType(n.spec()) != null).count();
        long slotBytes = Math.max(1L << 20, memory.managedPerSlot());
        String own = graph.config().stateBackendOptions().get(ROCKSDB_MEMORY);
        if (own != null && WorkerMemory.parseSize(own) * Math.max(1, keyed) <= slotBytes) {
            return graph;
        }
        LOG.info("Job {}: the RocksDB backends of each slot here share {} MiB of managed memory ({} keyed operator(s))",
                job, slotBytes >> 20, keyed);
        return new JobGraph(graph.name(), graph.nodes(), graph.edges(),
                graph.config().withStateBackendOption(ROCKSDB_MEMORY, Long.toString(slotBytes))
                        .withStateBackendOption(ROCKSDB_MEMORY_SHARED_BY, job + "/attempt-" + attempt),
                graph.checkpointing(), graph.restartStrategy());
    }
}
