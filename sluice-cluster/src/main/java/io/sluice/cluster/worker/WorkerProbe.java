package io.sluice.cluster.worker;

import io.sluice.cluster.protocol.WorkerGauges;
import io.sluice.runtime.state.KeyedStateBackendFactory;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Measures this worker process for its heartbeats: JVM heap and non-heap memory, collections and their time (all
 * collectors), network buffers in use of the worker's pool, and the native memory of the state backends that hold
 * some (RocksDB: block cache, memtables). The backends are looked up once. Called from the heartbeat thread; cheap
 * (a few MXBean reads and one short lock of the buffer pool), never waits for a task.
 */
final class WorkerProbe {
    private final WorkerDataPlane data;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final List<KeyedStateBackendFactory> backends;

    /** @param data the worker's data plane, or {@code null} without one (no buffers are then reported) */
    WorkerProbe(WorkerDataPlane data) {
        this.data = data;
        this.backends = ServiceLoader.load(KeyedStateBackendFactory.class, WorkerProbe.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    /** The gauges now; -1 for what is not measured here. */
    WorkerGauges measure() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        long cache = -1;
        long memtables = -1;
        for (KeyedStateBackendFactory b : backends) {
            Map<String, Long> parts = b.nativeMemory();
            if (parts.containsKey("blockCache")) {
                cache = Math.max(cache, 0) + parts.get("blockCache");
                memtables = Math.max(memtables, 0) + parts.getOrDefault("memtables", 0L);
            }
        }
        long used = data == null ? -1 : data.networkBuffers().used();
        long total = data == null ? -1 : data.networkBuffers().total();
        return new WorkerGauges(heap.getUsed(), heap.getMax(), memory.getNonHeapMemoryUsage().getUsed(), gcCount, gcMillis,
                used, total, cache, memtables);
    }
}
