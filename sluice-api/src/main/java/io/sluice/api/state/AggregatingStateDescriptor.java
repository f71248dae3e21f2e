package io.sluice.api.state;

import io.sluice.api.aggregation.Aggregator;
import io.sluice.api.types.TypeSerializer;
import java.util.Objects;

/**
 * An aggregating state: stores only the accumulator.
 *
 * @param name                  unique within the operator
 * @param aggregate             the aggregation (never opened or closed)
 * @param accumulatorSerializer the accumulator's serializer
 * @param ttl                   time to live, or {@code null}
 */
public record AggregatingStateDescriptor<IN, ACC, OUT>(String name, Aggregator<IN, ACC, OUT> aggregate,
        TypeSerializer<ACC> accumulatorSerializer, StateTtlConfig ttl) implements StateDescriptor<AggregatingState<IN, OUT>> {
    public AggregatingStateDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(accumulatorSerializer, "accumulatorSerializer");
    }

    public AggregatingStateDescriptor(String name, Aggregator<IN, ACC, OUT> aggregate,
            TypeSerializer<ACC> accumulatorSerializer) {
        this(name, aggregate, accumulatorSerializer, null);
    }

    public AggregatingStateDescriptor<IN, ACC, OUT> withTtl(StateTtlConfig ttl) {
        return new AggregatingStateDescriptor<>(name, aggregate, accumulatorSerializer, ttl);
    }
}
