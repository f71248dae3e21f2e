package io.sluice.testing;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** {@link TaggedSerializer} against the serializer contract, with a mutable value (a list) to copy deeply. */
class TaggedSerializerContractTest extends TypeSerializerContractTest<Tagged<List<String>>> {
    @Override
    protected TypeSerializer<Tagged<List<String>>> createSerializer() {
        return Tagged.type(Types.list(Types.STRING));
    }

    @Override
    protected Tagged<List<String>> randomValue(Random random) {
        List<String> value = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            value.add(Long.toString(random.nextLong(), 36));
        }
        return new Tagged<>("split-" + random.nextInt(50), random.nextLong() & Long.MAX_VALUE, value);
    }
}
