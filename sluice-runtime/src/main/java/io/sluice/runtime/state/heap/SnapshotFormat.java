package io.sluice.runtime.state.heap;

/**
 * The layout of one key group's block in a heap snapshot:
 *
 * <pre>
 * block   := int segmentCount, segment*
 * segment := byte type (STATE | TIMERS), UTF name, int length, byte[length]
 * STATE   := byte kind, byte namespaced, byte ttl, int count, (key, [namespace], value)*
 * TIMERS  := byte namespaced, int count, (byte domain, long time, key, [namespace])*
 * </pre>
 *
 * Values are written by {@link StateKind}. Segments are self-delimiting so a restore can keep a state's bytes until
 * the operator registers the state, and pass bytes of states it never registers on to the next snapshot.
 */
final class SnapshotFormat {
    static final byte STATE = 0;
    static final byte TIMERS = 1;

    private SnapshotFormat() {}
}
