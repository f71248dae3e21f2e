package io.sluice.runtime.state.heap;

/**
 * The layout of one key group's block in the heap backend's snapshots before the canonical format
 * ({@link io.sluice.runtime.state.snapshot.CanonicalFormat}), still read on restore:
 *
 * <pre>
 * block   := int segmentCount, segment*
 * segment := byte type (STATE | TIMERS), UTF name, int length, byte[length]
 * STATE   := byte kind, byte namespaced, byte ttl, int count, (key, [namespace], value)*
 * TIMERS  := byte namespaced, int count, (byte domain, long time, key, [namespace])*
 * </pre>
 *
 * Values as {@link StateKind#read} reads them. Entries are not delimited, so a segment is decoded only with its
 * serializers; until the state is registered it is passed on whole, as a legacy section of the canonical format.
 */
final class SnapshotFormat {
    static final byte STATE = 0;
    static final byte TIMERS = 1;

    private SnapshotFormat() {}
}
