package io.sluice.testing;

import io.sluice.api.source.CollectionSource;
import io.sluice.api.source.Source;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.List;

/** The source contract for {@link CollectionSource}, with repeated values (the oracle counts each). */
class CollectionSourceContractTest extends SourceContractTest<String> {
    @Override
    protected Source<String, ?> source() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            values.add("v" + i % 700);
        }
        return new CollectionSource<>(values, Types.STRING);
    }
}
