package io.sluice.api.state;

/**
 * One accumulator per key, updated with each added value by the descriptor's {@link
 * io.sluice.api.aggregation.Aggregator}; {@link #get()} returns its result.
 */
public interface AggregatingState<IN, OUT> extends State {

    /** The aggregate's result, or {@code null} if nothing was added. */
    OUT get();

    void add(IN value);
}
