package io.sluice.runtime.window;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.api.windowing.TimestampedValue;
import io.sluice.testing.TypeSerializerContractTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;

/**
 * The serializer of evicting windows' elements (sluice-runtime, package-private there; tested from here, in its
 * package, since sluice-runtime cannot depend on sluice-test-support) against the serializer contract: over a mutable
 * value, whose copies must be deep, and over an immutable one, whose pairs are not copied.
 */
class TimestampedValueSerializerContractTest {

    @Nested
    class OfMutableValues extends TypeSerializerContractTest<TimestampedValue<List<Integer>>> {
        protected TypeSerializer<TimestampedValue<List<Integer>>> createSerializer() {
            return new TimestampedValueSerializer<>(Types.list(Types.INT));
        }

        protected TimestampedValue<List<Integer>> randomValue(Random random) {
            List<Integer> value = new ArrayList<>();
            for (int n = random.nextInt(5); n > 0; n--) {
                value.add(random.nextInt());
            }
            return new TimestampedValue<>(value, random.nextInt(8) == 0 ? Long.MIN_VALUE : random.nextLong());
        }
    }

    @Nested
    class OfImmutableValues extends TypeSerializerContractTest<TimestampedValue<String>> {
        protected TypeSerializer<TimestampedValue<String>> createSerializer() {
            return new TimestampedValueSerializer<>(Types.STRING);
        }

        protected TimestampedValue<String> randomValue(Random random) {
            return new TimestampedValue<>(Integer.toString(random.nextInt(), 36), random.nextLong());
        }
    }
}
