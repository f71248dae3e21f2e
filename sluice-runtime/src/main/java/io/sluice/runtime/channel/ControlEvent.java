package io.sluice.runtime.channel;

import io.sluice.runtime.state.SnapshotKind;
import java.util.Objects;

/** Non-record elements of a channel. They overtake no record: they are sent after the batch before them. */
public sealed interface ControlEvent extends ChannelElement {

    /** No record with a timestamp at or below {@code timestamp} follows on this channel. */
    record Watermark(long timestamp) implements ControlEvent {}

    /**
     * The producer became idle ({@code idle}: it will send no records or watermarks for a while, so its channel must
     * not hold back the consumer's watermark) or active again ({@code !idle}: sent before its next record or watermark).
     */
    record WatermarkStatus(boolean idle) implements ControlEvent {
        public static final WatermarkStatus IDLE = new WatermarkStatus(true);
        public static final WatermarkStatus ACTIVE = new WatermarkStatus(false);
    }

    /**
     * Checkpoint {@code checkpointId}'s barrier: every record before it belongs to the state the checkpoint captures,
     * every record after it does not. {@code kind} says whether it is a savepoint, whose state every task writes in
     * the canonical format ({@link SnapshotKind}); all barriers of one checkpoint carry the same kind.
     */
    record Barrier(long checkpointId, SnapshotKind kind) implements ControlEvent {
        public Barrier {
            Objects.requireNonNull(kind, "kind");
        }

        /** A periodic checkpoint's barrier. */
        public Barrier(long checkpointId) {
            this(checkpointId, SnapshotKind.CHECKPOINT);
        }
    }

    /** Checkpoint {@code checkpointId} was aborted upstream: stop aligning it. */
    record CancelCheckpoint(long checkpointId) implements ControlEvent {}

    /** The producer has finished; nothing follows on this channel. */
    record EndOfInput() implements ControlEvent {
        public static final EndOfInput INSTANCE = new EndOfInput();
    }
}
