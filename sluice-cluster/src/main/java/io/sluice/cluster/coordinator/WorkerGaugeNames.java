package io.sluice.cluster.coordinator;

import io.sluice.cluster.protocol.WorkerGauges;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A worker's reported gauges under their metric names (Micrometer's dotted form; {@code /metrics} shows them with
 * underscores and a {@code worker} label). What the worker did not measure (-1) is left out. Stateless.
 */
final class WorkerGaugeNames {
    private WorkerGaugeNames() {}

    static Map<String, Double> of(WorkerGauges g) {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "sluice.worker.jvm.heap.used.bytes", g.heapUsed());
        put(m, "sluice.worker.jvm.heap.max.bytes", g.heapMax());
        put(m, "sluice.worker.jvm.nonheap.used.bytes", g.nonHeapUsed());
        put(m, "sluice.worker.jvm.gc.collections", g.gcCount());
        if (g.gcMillis() >= 0) {
            m.put("sluice.worker.jvm.gc.seconds", g.gcMillis() / 1000.0);
        }
        put(m, "sluice.worker.network.buffers.used", g.buffersUsed());
        put(m, "sluice.worker.network.buffers.capacity", g.buffersTotal());
        put(m, "sluice.worker.rocksdb.block.cache.bytes", g.rocksBlockCache());
        put(m, "sluice.worker.rocksdb.memtables.bytes", g.rocksMemtables());
        return m;
    }

    private static void put(Map<String, Double> m, String name, long value) {
        if (value >= 0) {
            m.put(name, (double) value);
        }
    }
}
