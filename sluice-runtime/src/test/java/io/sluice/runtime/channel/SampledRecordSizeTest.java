package io.sluice.runtime.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The estimated serialized size of records against their real one (the oracle: serialize a record with its serializer
 * into a byte array and measure it).
 */
class SampledRecordSizeTest {

    @SuppressWarnings("unchecked")
    private static SampledRecordSize of(TypeSerializer<?> type) {
        return new SampledRecordSize((TypeSerializer<Object>) type);
    }

    static <T> int measured(TypeSerializer<T> serializer, T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            serializer.serialize(value, new DataOutputStream(bytes));
            return bytes.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void recordsOfOneSizeAreEstimatedExactly() {
        SampledRecordSize size = of(Types.STRING);
        assertFalse(size.known());
        String text = "\u00e9t\u00e9 ".repeat(50); // not ASCII: the bytes, not the characters, count
        for (int i = 0; i < 100; i++) {
            size.show(text);
        }
        assertTrue(size.known());
        assertEquals(measured(Types.STRING, text), size.mean(), 1e-9);
        assertEquals(0.0, size.deviation(), 1e-9);
    }

    /** Over the first samples the estimate is the plain mean and standard deviation of the measured sizes. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20240607, -9})
    void theFirstSamplesGiveThePlainMeanAndDeviation(long seed) {
        Random random = new Random(seed);
        SampledRecordSize size = of(Types.BYTES);
        double sum = 0;
        double squares = 0;
        int n = SampledRecordSize.WARM_UP_SAMPLES;
        for (int i = 0; i < n; i++) {
            byte[] record = new byte[random.nextInt(2_000)];
            int bytes = measured(Types.BYTES, record);
            sum += bytes;
            squares += (double) bytes * bytes;
            size.show(record);
        }
        double mean = sum / n;
        assertEquals(mean, size.mean(), 1e-6, "seed " + seed);
        assertEquals(Math.sqrt(squares / n - mean * mean), size.deviation(), 1e-6, "seed " + seed);
    }

    /** Sampling one record in sixteen, the estimate stays near the measured mean and deviation of all of them. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20240607, -9})
    void aSampleOfTheRecordsEstimatesAllOfThem(long seed) {
        Random random = new Random(seed);
        int centre = 100 + random.nextInt(400);
        SampledRecordSize size = of(Types.BYTES);
        double sum = 0;
        double squares = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            byte[] record = new byte[centre - 50 + random.nextInt(101)];
            int bytes = measured(Types.BYTES, record);
            sum += bytes;
            squares += (double) bytes * bytes;
            size.show(record);
        }
        double mean = sum / n;
        double deviation = Math.sqrt(squares / n - mean * mean);
        assertEquals(mean, size.mean(), 0.1 * mean, "seed " + seed + ": the mean");
        assertEquals(deviation, size.deviation(), 0.5 * deviation, "seed " + seed + ": the deviation");
    }

    @Test
    void theEstimateFollowsRecordsWhoseSizeChanges() {
        SampledRecordSize size = of(Types.BYTES);
        for (int i = 0; i < 100; i++) {
            size.show(new byte[50]);
        }
        assertEquals(measured(Types.BYTES, new byte[50]), size.mean(), 1e-9);
        for (int i = 0; i < 200 * SampledRecordSize.SAMPLE_EVERY; i++) {
            size.show(new byte[1000]);
        }
        assertEquals(measured(Types.BYTES, new byte[1000]), size.mean(), 1.0, "after 200 samples of the new size");
    }

    /** The first records one after the other, then one in {@link SampledRecordSize#SAMPLE_EVERY}. */
    @Test
    void recordsAreSampledFirstEachThenOneInSixteen() {
        Counting counting = new Counting();
        SampledRecordSize size = of(counting);
        for (int i = 0; i < SampledRecordSize.WARM_UP_SAMPLES; i++) {
            size.show("r");
        }
        assertEquals(SampledRecordSize.WARM_UP_SAMPLES, counting.calls);
        int more = 160 * SampledRecordSize.SAMPLE_EVERY;
        for (int i = 0; i < more; i++) {
            size.show("r");
        }
        assertEquals(SampledRecordSize.WARM_UP_SAMPLES + more / SampledRecordSize.SAMPLE_EVERY, counting.calls);
    }

    @Test
    void aRecordThatCannotBeSerializedIsNotCounted() {
        SampledRecordSize size = of(Types.BYTES);
        size.show(null); // byte[] does not accept null
        assertFalse(size.known());
        size.show(new byte[300]);
        assertEquals(measured(Types.BYTES, new byte[300]), size.mean(), 1e-9);
    }

    /** A string serializer that counts its calls (a hand-written fake). */
    static final class Counting implements TypeSerializer<String> {
        int calls;

        @Override
        public void serialize(String value, DataOutput out) throws IOException {
            calls++;
            Types.STRING.serialize(value, out);
        }

        @Override
        public String deserialize(DataInput in) throws IOException {
            return Types.STRING.deserialize(in);
        }

        @Override
        public String typeName() {
            return "counted String";
        }
    }
}
