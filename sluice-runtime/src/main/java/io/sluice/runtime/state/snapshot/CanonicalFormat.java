package io.sluice.runtime.state.snapshot;

/**
 * The byte layout of the canonical keyed state format (big-endian, {@link java.io.DataOutput} encodings):
 *
 * <pre>
 * block    := BLOCK_MAGIC:int section* END_OF_BLOCK:byte               one key group's state and timers
 * section  := STATE:byte stateHeader entry* END_OF_SECTION:byte
 *           | TIMERS:byte timersHeader timer* END_OF_SECTION:byte
 *           | LEGACY_HEAP_STATE:byte name:UTF length:int bytes          checkpoints only, see below
 *           | LEGACY_TIMERS:byte name:UTF length:int bytes              checkpoints only, see below
 * stateHeader  := name:UTF kind:byte namespaced:bool ttl:bool serializers
 * timersHeader := service:UTF namespaced:bool serializers
 * serializers  := count:byte (idLength:int idUtf8 version:int)*       count 0: not known (older snapshots)
 * entry    := ENTRY:byte keyLength:int key valueLength:int value
 * timer    := ENTRY:byte domain:byte time:long keyLength:int key
 * </pre>
 *
 * <b>Serializers</b>, in order: the key's, the namespace's (namespaced state and timers only), then the state's
 * values': value, reducing: the value; list: the element; map: the map key and the map value; aggregating: the
 * accumulator. A restore compares them with the job's ({@link SerializerCheck}).
 *
 * <p><b>Entry keys</b> are the key's serialized bytes followed by the namespace's (namespaced state only), and for map
 * state by the map key's: one entry per map entry. <b>Entry values</b>, with {@code expiresAt} (the processing time
 * at which the unit expires, milliseconds) only when the header says TTL:
 * <ul>
 *   <li>value, reducing, aggregating: {@code [expiresAt:long] serialized value}
 *   <li>list: {@code ([expiresAt:long] length:int serialized element)*}, in list order
 *   <li>map: {@code [expiresAt:long] serialized map value}
 * </ul>
 * Units that had expired when the snapshot was taken are left out. <b>Timers</b>: {@code domain} is
 * {@link io.sluice.runtime.state.TimerSnapshots#EVENT_TIME} or {@code PROCESSING_TIME}; the key is the timer key's
 * bytes followed by its namespace's (namespaced services only). Entries are length-delimited, so a backend moves them
 * without their serializers (RocksDB stores exactly these bytes behind a key-group prefix) and keeps a state's section
 * as bytes until the operator registers the state.
 *
 * <p><b>Legacy sections</b> carry, unchanged, restored state of a snapshot older than this format that the operator
 * has not registered since (a segment of the heap backend's old block, or old timer bytes): without the serializers
 * they cannot be converted. Checkpoints pass them on; a savepoint refuses them, as any state whose serializers are
 * not known, so a savepoint is always fully canonical.
 *
 * <p>A <b>checkpoint</b> keeps its blocks in memory, one per key group ({@link io.sluice.runtime.state.KeyedStateSnapshot#keyGroups()}):
 * a canonical block starts with {@link #BLOCK_MAGIC}, a negative number, where the backends' older blocks start with
 * a positive segment count. A <b>savepoint</b> streams them into one private file ({@link #FILE_FORMAT}):
 *
 * <pre>
 * file  := FILE_MAGIC:int FILE_VERSION:int (keyGroup:int block)*         key groups ascending
 * meta  := META_VERSION:int count:int (keyGroup:int offset:long)*      the index, in the operator's state file
 * </pre>
 * so a restore skips the key groups outside its range (and still reads the file to its end, which verifies its
 * checksum).
 */
public final class CanonicalFormat {
    /** The {@link io.sluice.runtime.state.KeyedStateFiles#format()} of a savepoint's canonical file. */
    public static final String FILE_FORMAT = "sluice-keyed-state";
    /** The local name of the one file of a savepoint's keyed state. */
    static final String FILE_LOCAL_NAME = "key-groups";

    static final int BLOCK_MAGIC = 0xC5_4B_47_31; // negative: older blocks start with a positive count
    static final int FILE_MAGIC = 0x534B_4746; // "SKGF"
    static final int FILE_VERSION = 1;
    static final int META_VERSION = 1;

    static final byte END_OF_BLOCK = 0;
    static final byte STATE = 1;
    static final byte TIMERS = 2;
    /** A heap backend segment of its block format before the canonical one ({@code kind, namespaced, ttl, ...}). */
    public static final byte LEGACY_HEAP_STATE = 3;
    /** Timers in the format both backends wrote before the canonical one ({@code TimerSnapshots}). */
    public static final byte LEGACY_TIMERS = 4;

    static final byte END_OF_SECTION = 0;
    static final byte ENTRY = 1;

    private CanonicalFormat() {}
}
