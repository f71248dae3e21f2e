package io.sluice.state.rocksdb;

/**
 * This backend's key-group block layout before the canonical format ({@link io.sluice.runtime.state.snapshot.CanonicalFormat}),
 * still read on restore ({@link KeyGroupBlockRestore}); no longer written:
 *
 * <pre>
 * block    := segmentCount:int segment*
 * segment  := type:byte name:UTF length:int content
 * STATE    := kind:byte namespaced:bool ttl:bool count:int (keyLength:int key valueLength:int value)*
 *             key = the RocksDB key without its 2-byte key group prefix; value = the RocksDB value (see StateKind)
 * TIMERS   := namespaced:bool count:int (domain:byte time:long key [namespace])*
 * </pre>
 */
final class SnapshotFormat {
    static final byte STATE = 0;
    static final byte TIMERS = 1;

    private SnapshotFormat() {}
}
