package io.sluice.testing;

import io.sluice.api.source.SequenceSource;
import io.sluice.api.source.Source;

/** The source contract for {@link SequenceSource} (its splits dealt at registration by the default enumerator). */
class SequenceSourceContractTest extends SourceContractTest<Long> {
    @Override
    protected Source<Long, ?> source() {
        return new SequenceSource(1, 5_000, 0);
    }
}
