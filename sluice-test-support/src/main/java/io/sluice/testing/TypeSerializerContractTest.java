package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.api.types.TypeSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link TypeSerializer} (its Javadoc, "Contract"), checked for one serializer: round trip,
 * self-delimiting bytes, deterministic bytes, null handling, deep and independent copies, truthful
 * {@link TypeSerializer#isImmutableType()} and {@link TypeSerializer#fixedLength()}, Java serialization of the serializer, and use from several threads.
 *
 * <p>To run it against a serializer of your own, extend this class in your tests (JUnit 5) and say how to make the
 * serializer and random values of its type:
 *
 * <pre>{@code
 * class MoneySerializerContractTest extends TypeSerializerContractTest<Money> {
 *     protected TypeSerializer<Money> createSerializer() { return new MoneySerializer(); }
 *     protected Money randomValue(Random random) { return new Money(random.nextLong(), "EUR"); }
 * }
 * }</pre>
 *
 * <p>The values are {@link #edgeValues()} then {@value #RANDOM_VALUES} drawn from a {@link Random} seeded with
 * {@link #seed()}; every failure message names the seed and the value's number. The oracle is independent of the
 * serializer: equality of values ({@link #valuesEqual}, by content), and a walk of the object graph for the objects a
 * copy must not share ({@code MutableParts}).
 *
 * @param <T> the type of the values
 */
public abstract class TypeSerializerContractTest<T> {
    /** How many random values each test checks. */
    protected static final int RANDOM_VALUES = 300;
    /** The seed when {@link #seed()} is not overridden. */
    public static final long DEFAULT_SEED = 0x5E71A112E5L;

    /** The serializer under test; may be called once per test or more often (each result must behave alike). */
    protected abstract TypeSerializer<T> createSerializer();

    /**
     * A value drawn from {@code random}. The same draws must build an equal value anew (not return a cached instance):
     * the determinism check compares two such values. {@code null} only if the serializer accepts it.
     */
    protected abstract T randomValue(Random random);

    /** Values checked before the random ones: empty, extreme, unusual. None by default. */
    protected List<T> edgeValues() {
        return List.of();
    }

    /** Whether two values are equal: {@link Objects#deepEquals} by default (arrays by content). */
    protected boolean valuesEqual(T a, T b) {
        return Objects.deepEquals(a, b);
    }

    /** The seed of the random values; printed in every failure. Override it to replay a failure's seed. */
    protected long seed() {
        return DEFAULT_SEED;
    }

    @Test
    public void aValueReadBackEqualsTheValueWrittenAndEveryByteIsRead() throws IOException {
        TypeSerializer<T> serializer = createSerializer();
        List<T> values = values();
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            byte[] bytes = bytes(serializer, value);
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            T read = serializer.deserialize(new DataInputStream(in));
            assertEqualValues(value, read, i, "read back");
            assertEquals(0, in.available(), where(i, value) + ": bytes left unread");
        }
    }

    @Test
    public void valuesWrittenBackToBackReadBackOneByOne() throws IOException {
        TypeSerializer<T> serializer = createSerializer();
        List<T> values = values();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(stream);
        int[] endOf = new int[values.size()];
        for (int i = 0; i < values.size(); i++) {
            int before = stream.size();
            serializer.serialize(values.get(i), out);
            out.flush();
            endOf[i] = stream.size();
            assertEquals(bytes(serializer, values.get(i)).length, endOf[i] - before,
                    where(i, values.get(i)) + ": its length in a stream differs from its length alone");
        }
        byte[] all = stream.toByteArray();
        ByteArrayInputStream in = new ByteArrayInputStream(all);
        DataInputStream data = new DataInputStream(in);
        for (int i = 0; i < values.size(); i++) {
            assertEqualValues(values.get(i), serializer.deserialize(data), i, "read from the stream");
            assertEquals(endOf[i], all.length - in.available(), where(i, values.get(i)) + ": read more or fewer bytes than written");
        }
    }

    @Test
    public void equalValuesSerializeToEqualBytes() throws IOException {
        TypeSerializer<T> serializer = createSerializer();
        List<T> values = values();
        List<T> again = values();
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            byte[] bytes = bytes(serializer, value);
            assertArrayEquals(bytes, bytes(serializer, again.get(i)), where(i, value) + ": an equal value built anew");
            T read = serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes)));
            assertArrayEquals(bytes, bytes(serializer, read), where(i, value) + ": the value read back");
            if (value != null || serializer.acceptsNull()) {
                assertArrayEquals(bytes, bytes(serializer, serializer.copy(value)), where(i, value) + ": its copy");
            }
        }
    }

    @Test
    public void aDeclaredFixedLengthIsTheLengthOfEveryValue() {
        TypeSerializer<T> serializer = createSerializer();
        int fixed = serializer.fixedLength();
        assertTrue(fixed >= TypeSerializer.VARIABLE_LENGTH, serializer.typeName() + ": fixed length " + fixed);
        if (fixed == TypeSerializer.VARIABLE_LENGTH) {
            return;
        }
        List<T> values = values();
        for (int i = 0; i < values.size(); i++) {
            assertEquals(fixed, bytes(serializer, values.get(i)).length,
                    where(i, values.get(i)) + ": its bytes are not the declared fixed length");
        }
    }

    @Test
    public void nullRoundTripsWhereAcceptedAndFailsToSerializeElsewhere() throws IOException {
        TypeSerializer<T> serializer = createSerializer();
        if (serializer.acceptsNull()) {
            byte[] bytes = bytes(serializer, null);
            assertNull(serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes))), serializer.typeName());
            assertNull(serializer.copy(null), serializer.typeName() + ": copy of null");
        } else {
            DataOutputStream out = new DataOutputStream(new ByteArrayOutputStream());
            try {
                serializer.serialize(null, out);
                fail(serializer.typeName() + " does not accept null, yet wrote it");
            } catch (IOException | RuntimeException expected) {
                // the contract: it throws rather than write bytes that read back as another value
            }
        }
    }

    @Test
    public void aCopyEqualsTheValueAndSharesNothingMutable() {
        TypeSerializer<T> serializer = createSerializer();
        List<T> values = values();
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            T copy = serializer.copy(value);
            assertEqualValues(value, copy, i, "copy");
            if (serializer.isImmutableType()) {
                assertSame(value, copy, where(i, value) + ": a copy of an immutable type is the value itself");
            } else {
                List<String> shared = MutableParts.shared(value, copy);
                assertTrue(shared.isEmpty(), where(i, value) + ": the copy shares mutable objects at " + shared);
            }
        }
    }

    @Test
    public void anImmutableTypeHasNoValueThatCanChange() {
        TypeSerializer<T> serializer = createSerializer();
        if (!serializer.isImmutableType()) {
            return; // claiming mutability is always allowed
        }
        List<T> values = values();
        for (int i = 0; i < values.size(); i++) {
            assertEquals(List.of(), new ArrayList<>(MutableParts.of(values.get(i)).values()),
                    where(i, values.get(i)) + ": isImmutableType() is true, yet the value holds objects that can change");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    public void theSerializerJavaSerializedReadsAndWritesTheSameBytes() throws Exception {
        TypeSerializer<T> serializer = createSerializer();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
            out.writeObject(serializer);
        }
        TypeSerializer<T> copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray()))) {
            copy = (TypeSerializer<T>) in.readObject();
        }
        List<T> values = values();
        for (int i = 0; i < values.size(); i++) {
            byte[] bytes = bytes(serializer, values.get(i));
            assertEqualValues(values.get(i), copy.deserialize(new DataInputStream(new ByteArrayInputStream(bytes))), i,
                    "read by the Java-deserialized serializer");
            assertArrayEquals(bytes, bytes(copy, values.get(i)), where(i, values.get(i)) + ": written by the Java-deserialized serializer");
        }
    }

    @Test
    public void oneInstanceServesSeveralThreadsAtOnce() throws Exception {
        TypeSerializer<T> serializer = createSerializer();
        List<T> values = values();
        List<byte[]> expected = new ArrayList<>();
        for (T value : values) {
            expected.add(bytes(serializer, value));
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 7;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int n = 0; n < values.size(); n++) {
                            int i = (n + offset) % values.size();
                            byte[] bytes = bytes(serializer, values.get(i));
                            if (!Arrays.equals(expected.get(i), bytes)) {
                                return where(i, values.get(i)) + ": other bytes when written beside other threads";
                            }
                            T read = serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes)));
                            if (!valuesEqual(values.get(i), read)) {
                                return where(i, values.get(i)) + ": read back as " + show(read) + " beside other threads";
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<String> result : results) {
                String problem = result.get(60, TimeUnit.SECONDS);
                assertNull(problem, problem);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The edge values, then {@value #RANDOM_VALUES} random ones from {@link #seed()}: new instances at each call. */
    private List<T> values() {
        List<T> values = new ArrayList<>(edgeValues());
        Random random = new Random(seed());
        for (int i = 0; i < RANDOM_VALUES; i++) {
            values.add(randomValue(random));
        }
        return values;
    }

    private void assertEqualValues(T expected, T actual, int i, String what) {
        if (!valuesEqual(expected, actual)) {
            fail(where(i, expected) + ": " + what + " as " + show(actual));
        }
    }

    private String where(int i, T value) {
        int edges = edgeValues().size();
        String which = i < edges ? "edge value #" + i : "random value #" + (i - edges);
        return createSerializer().typeName() + ", seed " + seed() + ", " + which + " " + show(value);
    }

    private static String show(Object value) {
        String text = value instanceof Object[] array ? Arrays.deepToString(array)
                : value != null && value.getClass().isArray() ? Arrays.deepToString(new Object[] {value}) : String.valueOf(value);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static <V> byte[] bytes(TypeSerializer<V> serializer, V value) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            serializer.serialize(value, out);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + show(value) + " as " + serializer.typeName(), e);
        }
    }
}
