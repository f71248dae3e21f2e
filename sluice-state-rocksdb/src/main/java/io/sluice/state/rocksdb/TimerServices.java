package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.snapshot.SerializerCheck;
import io.sluice.runtime.state.snapshot.TimersHeader;
import io.sluice.runtime.timer.TimerQueues;
import io.sluice.runtime.state.TimerSnapshots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timer services of a RocksDB backend: one column family and two {@link RocksTimerQueue}s (event and processing
 * time) per service, created on first use or adopted from a restore, and the restored timers of services not yet
 * asked for, kept as raw segments (they go into the next snapshot unchanged, and into the queues once the service is
 * registered). Task thread only.
 */
final class TimerServices {
    private final RocksDbKeyedStateBackend backend;
    private final ColumnRegistry columns;
    private final Map<String, TimerQueues> registered = new LinkedHashMap<>();
    private final Map<String, List<RocksSnapshotWriter.RawSegment>> restored = new LinkedHashMap<>();

    TimerServices(RocksDbKeyedStateBackend backend, ColumnRegistry columns) {
        this.backend = backend;
        this.columns = columns;
    }

    /**
     * The queues of service {@code name}; the first call creates (or adopts) its column, after checking a restored
     * column against the serializers declared now ({@link SerializerCheck}), and loads old-format restored timers.
     */
    @SuppressWarnings("unchecked")
    TimerQueues queues(String name, TypeSerializer<?> namespaceSerializer) {
        TimerQueues existing = registered.get(name);
        if (existing != null) {
            return existing;
        }
        boolean namespaced = namespaceSerializer != null;
        TimersHeader declared = TimersHeader.declared(name, backend.keySerializer(), namespaceSerializer);
        TimerColumn column = columns.timers(name);
        if (column == null) {
            column = columns.createTimers(new FilesMeta.Timers(name, namespaced, declared.serializers()));
        } else {
            if (column.namespaced != namespaced) {
                throw new IllegalStateException(backend.owner() + ": timer service '" + name + "' was snapshotted "
                        + (column.namespaced ? "with" : "without") + " namespaces");
            }
            SerializerCheck.requireMatch(backend.owner(), column.header(), declared);
            column.serializers = declared.serializers();
        }
        TypeSerializer<Object> ns = (TypeSerializer<Object>) namespaceSerializer;
        TimerQueues queues = new TimerQueues(
                new RocksTimerQueue(backend, column, TimerSnapshots.EVENT_TIME, ns),
                new RocksTimerQueue(backend, column, TimerSnapshots.PROCESSING_TIME, ns));
        List<RocksSnapshotWriter.RawSegment> segments = restored.remove(name);
        if (segments != null) {
            try {
                for (RocksSnapshotWriter.RawSegment s : segments) {
                    TimerSnapshots.addTo(queues, s.bytes(), name, backend.keySerializer(), ns);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot restore the timers of '" + name + "': " + e.getMessage(), e);
            }
        }
        registered.put(name, queues);
        return queues;
    }

    /** A restore found timers of service {@code service} in its old, block form. */
    void addRestored(String service, RocksSnapshotWriter.RawSegment segment) {
        restored.computeIfAbsent(service, k -> new ArrayList<>()).add(segment);
    }

    /** The restored timers of services not registered yet, copied for a snapshot. */
    Map<String, List<RocksSnapshotWriter.RawSegment>> unregisteredRestored() {
        Map<String, List<RocksSnapshotWriter.RawSegment>> copy = new HashMap<>();
        restored.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }
}
