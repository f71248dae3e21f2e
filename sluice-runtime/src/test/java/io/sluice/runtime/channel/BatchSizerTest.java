package io.sluice.runtime.channel;

import static io.sluice.runtime.channel.SampledRecordSizeTest.measured;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How many records a batch takes, against the real serialized size of its records (the oracle: serialize each record
 * and measure it; a batch as a network channel writes it is a header, then each record after its timestamp if any).
 */
class BatchSizerTest {
    private static final int BUFFER = 8192;
    private static final int BATCH = 512;

    record Reading(long sensor, int zone, double value, boolean valid, char unit) {}

    record Empty() {}

    /** What the oracle says fits in a buffer: records of {@code recordBytes} each. */
    private static int fitting(int recordBytes, boolean timestamps) {
        int perRecord = recordBytes + (timestamps ? BatchSizer.TIMESTAMP_BYTES : 0);
        return Math.min(BATCH, (BUFFER - BatchSizer.BATCH_HEADER_BYTES) / perRecord);
    }

    @Test
    void aFixedLengthTypeIsSizedExactlyWithoutSerializingAnything() {
        Reading reading = new Reading(1, 2, 3.5, true, 'C');
        TypeSerializer<Reading> type = Types.of(Reading.class);
        int bytes = measured(type, reading);
        Counting<Reading> counting = new Counting<>(type, type.fixedLength());
        BatchSizer sizer = BatchSizer.of(counting, BUFFER, BATCH);
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

    @Test
    void aRecordLargerThanABufferIsABatchOfItsOwn() {
        BatchSizer sizer = BatchSizer.of(Types.BYTES, BUFFER, BATCH);
        assertEquals(1, sizer.recordsFor(new byte[3 * BUFFER], Long.MIN_VALUE));
        assertEquals(1, sizer.recordsFor(new byte[3 * BUFFER], Long.MIN_VALUE));
    }

    @Test
    void untilARecordWasSampledOnlyTheBatchSizeCounts() {
        BatchSizer sizer = BatchSizer.of(Types.BYTES, BUFFER, BATCH);
        assertEquals(BATCH, sizer.recordsFor(null, Long.MIN_VALUE), "byte[] does not accept null: not sampled");
        assertEquals(fitting(measured(Types.BYTES, new byte[300]), false), sizer.recordsFor(new byte[300], Long.MIN_VALUE));
    }

    /** Records of a variable-length type but all of one size fill a buffer as exactly as a fixed length does. */
    @Test
    void variableLengthRecordsOfOneSizeFillABufferExactly() {
        String text = "x".repeat(190);
        int bytes = measured(Types.STRING, text);
        BatchSizer sizer = BatchSizer.of(Types.STRING, BUFFER, BATCH);
        for (int b = 0; b < 100; b++) {
            assertEquals(fitting(bytes, true), sizer.recordsFor(text, 5L), "batch " + b);
            assertEquals(fitting(bytes, false), sizer.recordsFor(text, Long.MIN_VALUE), "batch " + b);
        }
    }

    /**
     * Records of 150 to 250 bytes at random: batches made of the records that come, as many as the sizer says, fill a
     * buffer to within a few per cent on average, and are rarely larger than one.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20240607, -9})
    void variableLengthRecordsFillABufferAndRarelyMore(long seed) {
        Random random = new Random(seed);
        BatchSizer sizer = BatchSizer.of(Types.BYTES, BUFFER, BATCH);
        int batches = 2_000;
        int over = 0;
        long filled = 0;
        for (int b = 0; b < batches; b++) {
            byte[] first = new byte[148 + random.nextInt(101)];
            int n = sizer.recordsFor(first, b);
            long bytes = BatchSizer.BATCH_HEADER_BYTES + BatchSizer.TIMESTAMP_BYTES + measured(Types.BYTES, first);
            for (int i = 1; i < n; i++) {
                bytes += BatchSizer.TIMESTAMP_BYTES + measured(Types.BYTES, new byte[148 + random.nextInt(101)]);
            }
            if (b >= 100) { // past the first batches, sized from few samples
                over += bytes > BUFFER ? 1 : 0;
                filled += bytes;
            }
        }
        double fill = filled / (double) (batches - 100) / BUFFER;
        System.out.printf("BatchSizerTest: seed %d: batches %.1f %% of a buffer on average, %d of %d larger%n", seed,
                100 * fill, over, batches - 100);
        assertTrue(fill > 0.85 && fill <= 1.0, "seed " + seed + ": batches fill " + fill + " of a buffer on average");
        assertTrue(over < (batches - 100) / 20, "seed " + seed + ": " + over + " batches larger than a buffer");
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
