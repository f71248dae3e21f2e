package io.sluice.api.aggregation;

import java.io.Serializable;

/**
 * An incremental aggregation: values are folded into an accumulator one at a time, so only the accumulator is
 * stored (never the values). {@link #merge} combines two accumulators (session windows merge).
 *
 * <p>Accumulators may be mutated and returned by {@link #add} and {@link #merge}.
 *
 * <p>A plain aggregation without a life cycle: an aggregating state's aggregator is never opened or closed.
 * {@link io.sluice.api.functions.AggregateFunction} is an aggregator with the life cycle of a user function, for
 * windowed aggregation.
 */
public interface Aggregator<IN, ACC, OUT> extends Serializable {

    ACC createAccumulator();

    ACC add(IN value, ACC accumulator);

    OUT getResult(ACC accumulator);

    ACC merge(ACC a, ACC b);
}
