package io.sluice.api.functions;


/** What a process function may do besides emitting to its main output. Valid only during the call. */
public interface ElementContext {

    /** The timestamp of the current record (or timer), or {@link Long#MIN_VALUE} if it has none. */
    long timestamp();

    /** Emits {@code value} to the side output named by {@code tag}, with the current timestamp. */
    <X> void output(OutputTag<X> tag, X value);

    /** The current event-time watermark of this operator. */
    long currentWatermark();
}
