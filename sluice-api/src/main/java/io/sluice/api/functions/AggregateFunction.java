package io.sluice.api.functions;

/**
 * An incremental aggregation: values are folded into an accumulator one at a time, so only the accumulator is
 * stored (never the values). {@link #merge} combines two accumulators (session windows merge).
 *
 * <p>Accumulators may be mutated and returned by {@link #add} and {@link #merge}.
 */
public interface AggregateFunction<IN, ACC, OUT> extends Function {

    ACC createAccumulator();

    ACC add(IN value, ACC accumulator);

    OUT getResult(ACC accumulator);

    ACC merge(ACC a, ACC b);
}
