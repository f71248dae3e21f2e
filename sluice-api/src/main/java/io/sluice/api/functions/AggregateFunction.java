package io.sluice.api.functions;

import io.sluice.api.aggregation.Aggregator;

/**
 * An {@link Aggregator} that is also a user function: windowed aggregation opens it before the first record and closes
 * it after the last ({@link Function}).
 */
public interface AggregateFunction<IN, ACC, OUT> extends Function, Aggregator<IN, ACC, OUT> {}
