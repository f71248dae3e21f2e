package io.sluice.testing;

import io.sluice.api.source.SequenceSource;
import io.sluice.api.source.Source;

/** The source contract for the verifier's {@link TaggedSource}, around a sequence. */
class TaggedSourceContractTest extends SourceContractTest<Tagged<Long>> {
    @Override
    protected Source<Tagged<Long>, ?> source() {
        return new TaggedSource<>(new SequenceSource(1, 3_000, 0), "numbers", "contract");
    }
}
