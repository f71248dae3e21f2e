package io.sluice.runtime.channel;

/** Non-record elements of a channel. They overtake no record: they are sent after the batch before them. */
public sealed interface ControlEvent {

    /** No record with a timestamp at or below {@code timestamp} follows on this channel. */
    record Watermark(long timestamp) implements ControlEvent {}

    /** The producer has finished; nothing follows on this channel. */
    record EndOfInput() implements ControlEvent {
        public static final EndOfInput INSTANCE = new EndOfInput();
    }
}
