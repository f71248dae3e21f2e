package io.sluice.state.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.sluice.api.types.SerializerIdentity;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * The column families of one {@link RocksDbKeyedStateBackend}: one per state ({@link StateColumn}) and one per timer
 * service ({@link TimerColumn}), created on first use or adopted from a database opened from snapshot files, and
 * checked against what a restored snapshot says each one is. Task thread only (restores run before any state is used).
 */
final class ColumnRegistry {
    private static final String STATE_PREFIX = "state:";

    /** Creates a column family in the backend's open database; the backend owns and closes it. */
    @FunctionalInterface
    interface ColumnFactory {
        ColumnFamilyHandle create(byte[] name) throws RocksDBException;
    }

    private final Map<String, StateColumn> states = new LinkedHashMap<>();
    private final Map<String, TimerColumn> timers = new LinkedHashMap<>();
    private final ColumnFactory factory;

    ColumnRegistry(ColumnFactory factory) {
        this.factory = factory;
    }

    /** The column family name of state {@code name}. */
    static byte[] stateColumnName(String name) {
        return (STATE_PREFIX + name).getBytes(StandardCharsets.UTF_8);
    }

    /** The column family name of timer service {@code service}. */
    static byte[] timerColumnName(String service) {
        return (TimerColumn.PREFIX + service).getBytes(StandardCharsets.UTF_8);
    }

    /** The column of state {@code name}, or {@code null} if it has none yet. */
    StateColumn state(String name) {
        return states.get(name);
    }

    /** The column of timer service {@code service}, or {@code null} if it has none yet. */
    TimerColumn timers(String service) {
        return timers.get(service);
    }

    /** Every state column, in creation order. */
    Collection<StateColumn> states() {
        return states.values();
    }

    /** Every timer column, in creation order. */
    Collection<TimerColumn> timerColumns() {
        return timers.values();
    }

    /** Creates the column of a state as {@code meta} describes it. */
    StateColumn createState(FilesMeta.State meta) {
        StateColumn column = new StateColumn(meta.name(), create(stateColumnName(meta.name())), meta.kind(),
                meta.namespaced(), meta.ttl(), meta.serializers());
        states.put(meta.name(), column);
        return column;
    }

    /** Creates the column of a timer service as {@code meta} describes it. */
    TimerColumn createTimers(FilesMeta.Timers meta) {
        TimerColumn column = new TimerColumn(meta.service(), create(timerColumnName(meta.service())), meta.namespaced(),
                meta.serializers());
        timers.put(meta.service(), column);
        return column;
    }

    /** Takes over a state's column family of a database opened from snapshot files. */
    void adoptState(FilesMeta.State meta, ColumnFamilyHandle handle) {
        states.put(meta.name(), new StateColumn(meta.name(), handle, meta.kind(), meta.namespaced(), meta.ttl(),
                meta.serializers()));
    }

    /** Takes over a timer service's column family of a database opened from snapshot files. */
    void adoptTimers(FilesMeta.Timers meta, ColumnFamilyHandle handle) {
        timers.put(meta.service(), new TimerColumn(meta.service(), handle, meta.namespaced(), meta.serializers()));
    }

    /**
     * The column of a restored state, created if absent; fails if the snapshots disagree on what it is. Serializers
     * one snapshot recorded and another did not (an older one) are taken as known.
     */
    StateColumn stateFor(FilesMeta.State meta) throws IOException {
        StateColumn column = states.get(meta.name());
        if (column == null) {
            return createState(meta);
        }
        if (column.kind != meta.kind() || column.namespaced != meta.namespaced() || column.ttl != meta.ttl()) {
            throw new IOException("state '" + meta.name() + "' has inconsistent kinds across restored key groups");
        }
        column.serializers = agreed(column.serializers, meta.serializers(), "state '" + meta.name() + "'");
        return column;
    }

    /** The column of a restored timer service, created if absent; fails if the snapshots disagree on it. */
    TimerColumn timersFor(FilesMeta.Timers meta) throws IOException {
        TimerColumn column = timers.get(meta.service());
        if (column == null) {
            return createTimers(meta);
        }
        if (column.namespaced != meta.namespaced()) {
            throw new IOException("timer service '" + meta.service() + "' is namespaced in some restored snapshots only");
        }
        column.serializers = agreed(column.serializers, meta.serializers(), "timer service '" + meta.service() + "'");
        return column;
    }

    private static List<SerializerIdentity> agreed(List<SerializerIdentity> known, List<SerializerIdentity> restored,
            String what) throws IOException {
        if (known.isEmpty()) {
            return restored;
        }
        if (!restored.isEmpty() && !restored.equals(known)) {
            throw new IOException(what + " was written with serializers " + known + " in some restored snapshots and "
                    + restored + " in others");
        }
        return known;
    }

    /** Forgets every column (the backend closes their handles). */
    void clear() {
        states.clear();
        timers.clear();
    }

    private ColumnFamilyHandle create(byte[] name) {
        try {
            return factory.create(name);
        } catch (RocksDBException e) {
            throw RocksDbKeyedStateBackend.failure(e);
        }
    }
}
