package io.sluice.runtime.channel;

import io.sluice.api.types.TypeSerializer;

/**
 * How many records the next batch of one edge takes so that, serialized, it fills at most one buffer: the unit in which
 * in-process and network channels are both bounded (a network channel sends a batch as frames of one buffer each and
 * grants credits per buffer; an in-process one holds {@code capacity} batches). A batch is counted as a network channel
 * writes it ({@code ChannelCodec}): {@link #BATCH_HEADER_BYTES}, then each record, preceded by its
 * {@linkplain #TIMESTAMP_BYTES timestamp} if the batch carries timestamps; whether it does is taken from its first
 * record. A batch takes at most the batch size in records, and at least one record, however large.
 *
 * <p>In process, records are handed over by reference and never serialized, so their size is known or estimated per
 * edge and producer: exactly for a type of {@linkplain TypeSerializer#fixedLength() fixed length}, and a batch then
 * closes when one more record would not fit; otherwise from sampled records ({@link SampledRecordSize}), and a batch
 * takes as many records as fit with two standard deviations of their bytes to spare (the records' spread and the
 * estimate's own error), so that a batch larger than a buffer is rare (a network channel would send it as a full frame
 * and a small one, each taking a credit) while records of one size fill the buffer exactly. Records of 200 ± 50 bytes
 * fill 90 to 94 % of a buffer on average, about 1 % of batches a little more than one (BatchSizerTest). Until a record
 * could be sampled only the batch size counts.
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

    private final int recordBudget;
    private final int batchSize;
    /** The type's fixed length, or {@link TypeSerializer#VARIABLE_LENGTH}: then {@link #sampled} estimates it. */
    private final int fixedLength;
    private final SampledRecordSize sampled;

    @SuppressWarnings("unchecked")
    private BatchSizer(TypeSerializer<?> type, int bufferBytes, int batchSize) {
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("a buffer must hold at least 1 byte, was " + bufferBytes);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1 record, was " + batchSize);
        }
        this.recordBudget = bufferBytes - BATCH_HEADER_BYTES;
        this.batchSize = batchSize;
        this.fixedLength = type.fixedLength();
        this.sampled = fixedLength < 0 ? new SampledRecordSize((TypeSerializer<Object>) type) : null;
    }

    /** Batches of records of {@code type}, at most {@code batchSize} of them and, serialized, {@code bufferBytes}. */
    public static BatchSizer of(TypeSerializer<?> type, int bufferBytes, int batchSize) {
        return new BatchSizer(type, bufferBytes, batchSize);
    }

    /**
     * The capacity, in records, of a batch that opens with {@code first} (timestamp {@code timestamp},
     * {@link Long#MIN_VALUE} for none): between 1 and the batch size. May serialize {@code first} to sample its size.
     */
    public int recordsFor(Object first, long timestamp) {
        int timestampBytes = timestamp != Long.MIN_VALUE ? TIMESTAMP_BYTES : 0;
        if (fixedLength >= 0) {
            int recordBytes = fixedLength + timestampBytes;
            return bounded(recordBytes == 0 ? batchSize : recordBudget / recordBytes);
        }
        sampled.show(first);
        if (!sampled.known()) {
            return batchSize;
        }
        double mean = sampled.mean() + timestampBytes;
        if (mean <= 0) {
            return batchSize;
        }
        // The bytes of n records vary by √n deviations, and by n times the error of the estimated mean: with
        // n ≈ budget / mean in the second term, the deviation to spare twice is √n·σ', σ' = σ·√(1 + n·share).
        double deviation = sampled.deviation() * Math.sqrt(1 + recordBudget / mean * sampled.meanVarianceShare());
        // the most records n with n·mean + 2·√n·σ' ≤ budget: a quadratic in √n
        double root = (Math.sqrt(deviation * deviation + mean * recordBudget) - deviation) / mean;
        return bounded(Math.floor(root * root));
    }

    private int bounded(double records) {
        return records >= batchSize ? batchSize : Math.max(1, (int) records);
    }
}
