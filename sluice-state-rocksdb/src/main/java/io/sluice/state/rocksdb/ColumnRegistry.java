package io.sluice.state.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
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

    StateColumn createState(String name, StateKind kind, boolean namespaced, boolean ttl) {
        StateColumn column = new StateColumn(name, create(stateColumnName(name)), kind, namespaced, ttl);
        states.put(name, column);
        return column;
    }

    TimerColumn createTimers(String service, boolean namespaced) {
        TimerColumn column = new TimerColumn(service, create(timerColumnName(service)), namespaced);
        timers.put(service, column);
        return column;
    }

    /** Takes over a state's column family of a database opened from snapshot files. */
    void adoptState(FilesMeta.State meta, ColumnFamilyHandle handle) {
        states.put(meta.name(), new StateColumn(meta.name(), handle, meta.kind(), meta.namespaced(), meta.ttl()));
    }

    /** Takes over a timer service's column family of a database opened from snapshot files. */
    void adoptTimers(FilesMeta.Timers meta, ColumnFamilyHandle handle) {
        timers.put(meta.service(), new TimerColumn(meta.service(), handle, meta.namespaced()));
    }

    /** The column of a restored state, created if absent; fails if the snapshots disagree on what it is. */
    StateColumn stateFor(FilesMeta.State meta) throws IOException {
        StateColumn column = states.get(meta.name());
        if (column == null) {
            return createState(meta.name(), meta.kind(), meta.namespaced(), meta.ttl());
        }
        if (column.kind != meta.kind() || column.namespaced != meta.namespaced() || column.ttl != meta.ttl()) {
            throw new IOException("state '" + meta.name() + "' has inconsistent kinds across restored key groups");
        }
        return column;
    }

    /** The column of a restored timer service, created if absent; fails if the snapshots disagree on it. */
    TimerColumn timersFor(FilesMeta.Timers meta) throws IOException {
        TimerColumn column = timers.get(meta.service());
        if (column == null) {
            return createTimers(meta.service(), meta.namespaced());
        }
        if (column.namespaced != meta.namespaced()) {
            throw new IOException("timer service '" + meta.service() + "' is namespaced in some restored snapshots only");
        }
        return column;
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
