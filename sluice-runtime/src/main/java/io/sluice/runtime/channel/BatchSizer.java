package io.sluice.runtime.channel;

import io.sluice.api.types.TypeSerializer;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How many records the next batch of one edge takes so that, serialized, it fills at most one buffer: the unit in which
 * in-process and network channels are both bounded (a network channel sends a batch as frames of one buffer each and
 * grants credits per buffer; an in-process one holds {@code capacity} batches). A batch is counted as a network channel
 * writes it ({@code ChannelCodec}): {@link #BATCH_HEADER_BYTES}, then each record, preceded by its
 * {@linkplain #TIMESTAMP_BYTES timestamp} if the batch carries timestamps. It takes at most the batch size in records,
 * and at least one record, however large.
 *
 * <p>In process, records are handed over by reference and never serialized, so their size is known or estimated once
 * per edge and producer: exactly for a type of {@linkplain TypeSerializer#fixedLength() fixed length}; otherwise as the
 * mean of sampled records, the first record of each of the first {@value #WARM_UP_SAMPLES} batches and then of one
 * batch in {@value #SAMPLE_EVERY}, each serialized into a sink that counts the bytes and keeps none (so a huge record
 * costs no memory; a reusable buffer would keep the largest one sampled). Until a record could be sampled (and for a
 * record its serializer cannot write, which a network channel would fail on anyway) only the batch size counts.
 * Whether a batch carries timestamps is taken from its first record. With records of varying size a batch's bytes are
 * an estimate: some batches come out a little larger than a buffer, some smaller, the first few of an edge (sized from
 * few samples) most.
 *
 * <p>It costs nothing per record: {@link #recordsFor} is asked once per batch, when the batch opens, and its answer is
 * the batch's capacity, which {@link RecordBatch#add} compares against already. Task thread only: one per
 * {@link ChannelWriter}.
 */
public final class BatchSizer {
    /** The bytes of a serialized batch before its records: kind, record count, timestamp mode. */
    public static final int BATCH_HEADER_BYTES = 6;
    /** The bytes of a record's timestamp, in a batch that carries timestamps. */
    public static final int TIMESTAMP_BYTES = 8;
    /** The batches whose first record is sampled, one after the other, before sampling slows down. */
    static final int WARM_UP_SAMPLES = 16;
    /** After the warm-up, one batch in this many has its first record sampled. */
    static final int SAMPLE_EVERY = 16;

    private final TypeSerializer<Object> type;
    private final int recordBudget;
    private final int batchSize;
    /** The type's fixed length, or {@link TypeSerializer#VARIABLE_LENGTH}: then the mean is estimated. */
    private final int fixedLength;
    private final ByteCounter counter;
    /** The estimated mean serialized size of a record; meaningful once {@link #samples} is positive. */
    private double meanBytes;
    private long samples;
    private long batches;

    private BatchSizer(TypeSerializer<Object> type, int bufferBytes, int batchSize) {
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("a buffer must hold at least 1 byte, was " + bufferBytes);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1 record, was " + batchSize);
        }
        this.type = type;
        this.recordBudget = bufferBytes - BATCH_HEADER_BYTES;
        this.batchSize = batchSize;
        this.fixedLength = type.fixedLength();
        this.counter = fixedLength < 0 ? new ByteCounter() : null;
    }

    /** Batches of records of {@code type}, at most {@code batchSize} of them and, serialized, {@code bufferBytes}. */
    @SuppressWarnings("unchecked")
    public static BatchSizer of(TypeSerializer<?> type, int bufferBytes, int batchSize) {
        return new BatchSizer((TypeSerializer<Object>) type, bufferBytes, batchSize);
    }

    /**
     * The capacity, in records, of a batch that opens with {@code first} (timestamp {@code timestamp},
     * {@link Long#MIN_VALUE} for none): between 1 and the batch size. May serialize {@code first} to sample its size.
     */
    public int recordsFor(Object first, long timestamp) {
        double recordBytes;
        if (fixedLength >= 0) {
            recordBytes = fixedLength;
        } else {
            if (batches < WARM_UP_SAMPLES || batches % SAMPLE_EVERY == 0) {
                sample(first);
            }
            batches++;
            if (samples == 0) {
                return batchSize;
            }
            recordBytes = meanBytes;
        }
        if (timestamp != Long.MIN_VALUE) {
            recordBytes += TIMESTAMP_BYTES;
        }
        if (recordBytes <= 0) {
            return batchSize;
        }
        double fit = Math.floor(recordBudget / recordBytes);
        return fit >= batchSize ? batchSize : Math.max(1, (int) fit);
    }

    /**
     * Adds the serialized size of {@code record} to the mean: a plain mean over the first {@value #WARM_UP_SAMPLES}
     * samples, then a moving one in which each new sample weighs 1/{@value #WARM_UP_SAMPLES}, so that the estimate
     * follows records whose size drifts (within some {@value #WARM_UP_SAMPLES} samples, some 256 batches) while one
     * unusual record moves it little (records of 200 ± 50 bytes at random: about 3 % off).
     */
    private void sample(Object record) {
        counter.reset();
        try {
            type.serialize(record, counter);
        } catch (IOException | RuntimeException e) {
            return; // not counted: a record that cannot be serialized says nothing of the others' size
        }
        samples++;
        meanBytes += (counter.size() - meanBytes) / Math.min(samples, WARM_UP_SAMPLES);
    }

    /** The estimated mean serialized size of a record (the fixed length where there is one); 0 before any sample. */
    double meanRecordBytes() {
        return fixedLength >= 0 ? fixedLength : meanBytes;
    }

    /** A {@link java.io.DataOutput} that counts the bytes written and keeps none. */
    private static final class ByteCounter extends DataOutputStream {
        ByteCounter() {
            super(OutputStream.nullOutputStream());
        }

        void reset() {
            written = 0;
        }
    }
}
