package io.sluice.nexmark;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.generator.NexmarkGenerator;
import io.sluice.nexmark.model.Event;
import io.sluice.testing.TypeSerializerContractTest;
import java.util.Random;

/**
 * The serializer of Nexmark's events (the source's output type, {@code Types.of(Event.class)}) against the type serializer contract: persons,
 * auctions and bids at random positions of the generator's stream (each position is one event, made anew).
 */
class EventSerializerContractTest extends TypeSerializerContractTest<Event> {
    private static final NexmarkGenerator GENERATOR = new NexmarkGenerator(NexmarkConfig.of(10_000_000));

    @Override
    protected TypeSerializer<Event> createSerializer() {
        return Types.of(Event.class);
    }

    @Override
    protected Event randomValue(Random random) {
        return GENERATOR.event(random.nextLong(10_000_000));
    }
}
