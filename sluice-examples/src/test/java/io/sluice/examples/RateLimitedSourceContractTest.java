package io.sluice.examples;

import io.sluice.api.source.SequenceSource;
import io.sluice.api.source.Source;
import io.sluice.testing.SourceContractTest;

/** The source contract for {@link RateLimitedSource}, fast enough that the limit rarely holds a reader back. */
class RateLimitedSourceContractTest extends SourceContractTest<Long> {
    @Override
    protected Source<Long, ?> source() {
        return RateLimitedSource.of(new SequenceSource(1, 3_000, 0), 50_000_000);
    }
}
