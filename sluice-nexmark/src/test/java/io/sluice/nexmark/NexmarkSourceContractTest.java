package io.sluice.nexmark;

import io.sluice.api.source.Source;
import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.model.Event;
import io.sluice.nexmark.source.NexmarkSource;
import io.sluice.testing.SourceContractTest;

/** The source contract for the Nexmark generator source. */
class NexmarkSourceContractTest extends SourceContractTest<Event> {
    @Override
    protected Source<Event, ?> source() {
        return new NexmarkSource(NexmarkConfig.of(3_000));
    }
}
