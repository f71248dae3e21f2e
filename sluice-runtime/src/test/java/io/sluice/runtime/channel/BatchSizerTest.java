package io.sluice.runtime.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The size of a batch against the real serialized size of its records (the oracle: serialize a record with its
 * serializer and measure the bytes): exact for fixed-length types, estimated from samples for the others.
 */
class BatchSizerTest {
    private static final int BUFFER = 8192;
    private static final int BATCH = 512;

    record Reading(long sensor, int zone, double value, boolean valid, char unit) {}

    /** What the oracle says fits in a buffer: records of {@code recordBytes} each, as a network channel writes them. */
    private static int fitting(int recordBytes, boolean timestamps) {
        int perRecord = recordBytes + (timestamps ? BatchSizer.TIMESTAMP_BYTES : 0);
        return Math.min(BATCH, (BUFFER - BatchSizer.BATCH_HEADER_BYTES) / perRecord);
    }

    private static <T> int measured(TypeSerializer<T> serializer, T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            serializer.serialize(value, new DataOutputStream(bytes));
            return bytes.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFixedLengthTypeIsSizedExactlyWithoutSerializingAnything() {
        Reading reading = new Reading(1, 2, 3.5, true, 'C');
        TypeSerializer<Reading> type = Types.of(Reading.class);
        Counting<Reading> counting = new Counting<>(type, type.fixedLength());
        BatchSizer sizer = BatchSizer.of(counting, BUFFER, BATCH);
        int bytes = measured(type, reading); // 23
        for (int b = 0; b < 100; b++) {
            assertEquals(fitting(bytes, false), sizer.recordsFor(reading, Long.MIN_VALUE), "batch " + b);
            assertEquals(fitting(bytes, true), sizer.recordsFor(reading, 42L), "batch " + b + ", with timestamps");
        }
        assertEquals(0, counting.calls, "a fixed length is known without serializing");
        assertTrue(fitting(bytes, false) < BATCH, "records of " + bytes + " bytes fill a buffer before the batch size");
    }

    @Test
    void smallFixedRecordsStayBoundedByTheBatchSize() {
        BatchSizer longs = BatchSizer.of(Types.LONG, BUFFER, BATCH);
        assertEquals(BATCH, longs.recordsFor(7L, Long.MIN_VALUE), "512 longs are 4 KiB: the batch size bounds them");
        // with timestamps a long takes 16 bytes: 511 of them and the header fill 8,182 of 8,192 bytes
        assertEquals(511, longs.recordsFor(7L, 0L));
        assertEquals(BATCH, BatchSizer.of(Types.of(Empty.class), BUFFER, BATCH).recordsFor(new Empty(), Long.MIN_VALUE),
                "records of no bytes");
    }

    record Empty() {}

    @Test
    void aRecordLargerThanABufferIsABatchOfItsOwn() {
        BatchSizer sizer = BatchSizer.of(Types.BYTES, BUFFER, BATCH);
        assertEquals(1, sizer.recordsFor(new byte[3 * BUFFER], Long.MIN_VALUE));
    }

    /** Records of one size: the estimate is that size, measured, and batches hold what fits. */
    @Test
    void aVariableLengthTypeOfRecordsOfOneSizeIsSizedExactlyFromItsFirstSample() {
        String text = "x".repeat(190);
        int bytes = measured(Types.STRING, text);
        BatchSizer sizer = BatchSizer.of(Types.STRING, BUFFER, BATCH);
        assertEquals(fitting(bytes, true), sizer.recordsFor(text, 5L));
        assertEquals(bytes, sizer.meanRecordBytes(), 0.0);
        assertEquals(fitting(bytes, false), sizer.recordsFor(text, Long.MIN_VALUE));
    }

    /**
     * Records whose size varies at random about a mean: the estimate follows the sampled records' measured mean, and
     * batches hold what fits a buffer at the records' true mean size, within a few records.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20240607, -9})
    void aVariableLengthTypeIsEstimatedFromSampledRecords(long seed) {
        Random random = new Random(seed);
        int mean = 100 + random.nextInt(400);
        BatchSizer sizer = BatchSizer.of(Types.BYTES, BUFFER, BATCH);
        long totalBytes = 0;
        long records = 0;
        for (int b = 0; b < 2_000; b++) {
            byte[] first = new byte[mean - 40 + random.nextInt(81)];
            totalBytes += measured(Types.BYTES, first);
            records++;
            int n = sizer.recordsFor(first, b);
            assertTrue(n >= 1 && n <= BATCH, "seed " + seed + ", batch " + b + ": " + n + " records");
        }
        double trueMean = (double) totalBytes / records;
        double estimate = sizer.meanRecordBytes();
        assertTrue(Math.abs(estimate - trueMean) < 0.15 * trueMean, "seed " + seed + ": estimated " + estimate
                + " bytes a record, measured " + trueMean);
        int expected = fitting((int) Math.round(trueMean), true);
        int n = sizer.recordsFor(new byte[mean], 0L);
        assertTrue(Math.abs(n - expected) <= Math.max(2, expected / 6), "seed " + seed + ": " + n + " records a batch,"
                + " where " + expected + " of the measured mean size fit a buffer");
    }

    /** The estimate follows records whose size changes, from the samples taken after the change. */
    @Test
    void theEstimateFollowsRecordsWhoseSizeChanges() {
        BatchSizer sizer = BatchSizer.of(Types.BYTES, BUFFER, BATCH);
        for (int b = 0; b < 100; b++) {
            sizer.recordsFor(new byte[50], Long.MIN_VALUE);
        }
        assertEquals(measured(Types.BYTES, new byte[50]), sizer.meanRecordBytes(), 1e-9);
        int large = measured(Types.BYTES, new byte[1000]);
        for (int b = 0; b < 200 * BatchSizer.SAMPLE_EVERY; b++) {
            sizer.recordsFor(new byte[1000], Long.MIN_VALUE);
        }
        assertEquals(large, sizer.meanRecordBytes(), 1.0, "after 200 samples of the new size");
        assertEquals(fitting(large, false), sizer.recordsFor(new byte[1000], Long.MIN_VALUE));
    }

    /** Every batch at first, then one in {@link BatchSizer#SAMPLE_EVERY}: the serializer runs per batch, rarely. */
    @Test
    void variableLengthRecordsAreSampledFirstEveryBatchThenOneBatchInSixteen() {
        Counting<String> counting = new Counting<>(Types.STRING, TypeSerializer.VARIABLE_LENGTH);
        BatchSizer sizer = BatchSizer.of(counting, BUFFER, BATCH);
        for (int b = 0; b < BatchSizer.WARM_UP_SAMPLES; b++) {
            sizer.recordsFor("r", Long.MIN_VALUE);
        }
        assertEquals(BatchSizer.WARM_UP_SAMPLES, counting.calls);
        int more = 160 * BatchSizer.SAMPLE_EVERY;
        for (int b = 0; b < more; b++) {
            sizer.recordsFor("r", Long.MIN_VALUE);
        }
        assertEquals(BatchSizer.WARM_UP_SAMPLES + more / BatchSizer.SAMPLE_EVERY, counting.calls);
    }

    /** A record its serializer cannot write says nothing of the size: until one can, the batch size counts. */
    @Test
    void aRecordThatCannotBeSerializedIsNotCounted() {
        BatchSizer sizer = BatchSizer.of(Types.BYTES, BUFFER, BATCH);
        assertEquals(BATCH, sizer.recordsFor(null, Long.MIN_VALUE), "byte[] does not accept null");
        assertEquals(0.0, sizer.meanRecordBytes(), 0.0);
        byte[] record = new byte[300];
        assertEquals(fitting(measured(Types.BYTES, record), false), sizer.recordsFor(record, Long.MIN_VALUE));
    }

    /** A serializer that counts its calls and declares the fixed length it is given (a hand-written fake). */
    private static final class Counting<T> implements TypeSerializer<T> {
        private final TypeSerializer<T> inner;
        private final int fixedLength;
        int calls;

        Counting(TypeSerializer<T> inner, int fixedLength) {
            this.inner = inner;
            this.fixedLength = fixedLength;
        }

        @Override
        public void serialize(T value, DataOutput out) throws IOException {
            calls++;
            inner.serialize(value, out);
        }

        @Override
        public T deserialize(DataInput in) throws IOException {
            return inner.deserialize(in);
        }

        @Override
        public int fixedLength() {
            return fixedLength;
        }

        @Override
        public String typeName() {
            return "counting " + inner.typeName();
        }
    }
}
