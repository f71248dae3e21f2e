package io.sluice.runtime.state.heap;

import io.sluice.api.state.State;
import io.sluice.api.state.StateTtlConfig;
import io.sluice.runtime.state.InternalKeyedState;
import io.sluice.runtime.state.VoidNamespace;
import java.util.Collection;
import java.util.function.UnaryOperator;

/**
 * What every heap state handle shares: finding the current key's (and namespace's) slot, remembering it so a read
 * followed by a write probes once, getting stored values so that a pending snapshot never sees them change (see
 * {@link StateTable}: values handed out or changed in place come through {@link #readableValue} or
 * {@link #changeableValue}), and time-to-live bookkeeping. Task thread only.
 */
abstract class AbstractHeapState implements State, InternalKeyedState {
    protected final HeapKeyedStateBackend backend;
    protected final RegisteredState registration;
    protected final boolean ttl;
    private final long ttlMillis;
    private final boolean renewOnRead;
    /** The registration's copiers, kept here for the hot path; {@code null} where nothing needs copying. */
    private final UnaryOperator<Object> copyForRead;
    private final UnaryOperator<Object> copyForChange;
    /** {@code null} until set, for namespaced states: using one before setting a namespace is a bug, reported at once. */
    private Object namespace;
    // The slot cache: valid while key epoch, namespace, table and table version are unchanged.
    private long cachedEpoch = -1;
    private Object cachedNamespace;
    private StateTable cachedTable;
    private int cachedVersion;
    private int cachedSlot;

    AbstractHeapState(HeapKeyedStateBackend backend, RegisteredState registration) {
        this.backend = backend;
        this.registration = registration;
        StateTtlConfig config = registration.ttl;
        this.ttl = config != null;
        this.ttlMillis = config != null ? config.timeToLive().toMillis() : 0;
        this.renewOnRead = config != null && config.updateType() == StateTtlConfig.UpdateType.ON_READ_AND_WRITE;
        this.namespace = registration.namespaceSerializer == null ? VoidNamespace.INSTANCE : null;
        this.copyForRead = registration.copier.forRead;
        this.copyForChange = registration.copier.forChange;
    }

    @Override
    public void setCurrentNamespace(Object namespace) {
        if (registration.namespaceSerializer == null && namespace != VoidNamespace.INSTANCE) {
            // Fail here, not at the next snapshot, which could not serialize the namespace.
            throw new IllegalArgumentException("state '" + registration.name + "' was not registered as namespaced "
                    + "state, so it cannot be scoped to " + namespace);
        }
        this.namespace = namespace;
    }

    protected Object namespace() {
        return namespace;
    }

    protected StateTable table() {
        return registration.table(backend.currentIndex(), backend.currentStripe());
    }

    /** The current key's and namespace's slot in {@code t}, or {@code -1 - insertionSlot}. */
    protected int slot(StateTable t) {
        long epoch = backend.keyEpoch();
        if (epoch == cachedEpoch && namespace == cachedNamespace && t == cachedTable && t.version() == cachedVersion) {
            return cachedSlot;
        }
        if (namespace == null) {
            throw new IllegalStateException("namespaced state '" + registration.name + "' used before setCurrentNamespace");
        }
        if (backend.currentKey() == null) {
            throw new IllegalStateException("state '" + registration.name + "' used without a current key: setCurrentKey first");
        }
        int slot = t.find(entryKey(namespace), entryHash(namespace));
        cachedEpoch = epoch;
        cachedNamespace = namespace;
        cachedTable = t;
        cachedVersion = t.version();
        cachedSlot = slot;
        return slot;
    }

    /** The slot of the current key in another namespace (merging); not cached. */
    protected int slotIn(StateTable t, Object ns) {
        return t.find(entryKey(ns), entryHash(ns));
    }

    protected Object entryKey(Object ns) {
        return ns == VoidNamespace.INSTANCE ? backend.currentKey() : new NamespacedKey(backend.currentKey(), ns);
    }

    protected int entryHash(Object ns) {
        int h = backend.currentHash();
        return ns == VoidNamespace.INSTANCE ? h : h * 31 + ns.hashCode();
    }

    /**
     * The value at {@code slot}, whose objects may be handed out to code that may change them in place: first copied
     * if a pending snapshot shares it and those objects are mutable. Allocates nothing otherwise.
     */
    protected Object readableValue(StateTable t, int slot) {
        return copyForRead == null ? t.valueAt(slot) : t.unsharedValueAt(slot, copyForRead);
    }

    /**
     * The value at {@code slot}, safe to change in place (a list, a map, an accumulator) and to hand out: first copied
     * if a pending snapshot shares it. Allocates nothing otherwise.
     */
    protected Object changeableValue(StateTable t, int slot) {
        return copyForChange == null ? t.valueAt(slot) : t.unsharedValueAt(slot, copyForChange);
    }

    /** Inserts the current key's entry; returns its slot. */
    protected int insert(StateTable t, int encodedSlot, Object stored) {
        return t.insert(encodedSlot, entryKey(namespace), entryHash(namespace), stored);
    }

    // ---- time to live ----

    protected long now() {
        return backend.currentTime();
    }

    protected Object wrap(Object value) {
        return ttl ? new TtlValue(value, now() + ttlMillis) : value;
    }

    /** Whether a stored unit is expired (never, without TTL). */
    protected boolean expired(Object unit) {
        return ttl && ((TtlValue) unit).expired(now());
    }

    /** Whether the value at {@code slot} is expired; reads no value without TTL (a flat one would be built). */
    protected boolean expiredAt(StateTable t, int slot) {
        return ttl && ((TtlValue) t.valueAt(slot)).expired(now());
    }

    protected Object unwrap(Object unit) {
        return ttl ? ((TtlValue) unit).value() : unit;
    }

    /** With update-on-read TTL, the unit renewed; otherwise the unit itself. */
    protected Object renewedOnRead(Object unit) {
        return renewOnRead ? new TtlValue(((TtlValue) unit).value(), now() + ttlMillis) : unit;
    }

    protected boolean renewsOnRead() {
        return renewOnRead;
    }

    /**
     * The current key's single stored value (value-like states), unwrapped; {@code null} if absent or expired (an expired
     * entry is removed). With update-on-read TTL the entry's time is renewed.
     *
     * @param handedOut whether the value goes to code that may change it in place (then it is first copied if a
     *                  snapshot shares it); {@code false} only for callers that never change it
     */
    protected Object readLiveValue(boolean handedOut) {
        StateTable t = table();
        int slot = slot(t);
        if (slot < 0) {
            return null;
        }
        Object stored = handedOut ? readableValue(t, slot) : t.valueAt(slot);
        if (expired(stored)) {
            t.removeAt(slot);
            return null;
        }
        if (ttl && renewsOnRead()) {
            t.rewrapAt(slot, renewedOnRead(stored));
        }
        return unwrap(stored);
    }

    /**
     * Removes the current key's entry in namespace {@code ns} (merging) and returns its value (value-like states),
     * unwrapped and safe to change in place; {@code null} if there was none or it expired.
     */
    protected Object takeLiveValue(StateTable t, Object ns) {
        int slot = slotIn(t, ns);
        if (slot < 0) {
            return null;
        }
        Object stored = expiredAt(t, slot) ? null : unwrap(changeableValue(t, slot));
        t.removeAt(slot);
        return stored;
    }

    @Override
    public void clear() {
        StateTable t = table();
        int slot = slot(t);
        if (slot >= 0) {
            t.removeAt(slot);
        }
    }

    @Override
    public void mergeNamespaces(Object target, Collection<?> sources) throws Exception {
        throw new UnsupportedOperationException("state '" + registration.name + "' of kind " + registration.kind
                + " cannot be merged; use list, reducing, aggregating or map state in merging windows");
    }
}
