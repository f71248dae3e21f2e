package io.sluice.runtime.channel;

import io.sluice.api.types.TypeSerializer;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The serialized size of the records of one edge whose type has no fixed length, estimated from records serialized
 * now and then: of the records it is shown ({@link #show}, once per batch), the first {@value #WARM_UP_SAMPLES} and
 * then one in {@value #SAMPLE_EVERY}. A sampled record is serialized into a sink that counts its bytes and keeps none,
 * so a huge record costs no memory (a reusable buffer would keep the largest one ever sampled). The estimate is the
 * mean and standard deviation of the samples: plain over the first {@value #WARM_UP_SAMPLES}, then moving, each new
 * sample weighing 1/{@value #WARM_UP_SAMPLES}, so that it follows records whose size drifts (within some
 * {@value #WARM_UP_SAMPLES} samples: some 256 batches) while one unusual record moves it little. A record its
 * serializer cannot write is not counted (a network channel would fail on it; in process it goes through as ever).
 *
 * <p>Task thread only: one per {@link BatchSizer}.
 */
final class SampledRecordSize {
    /** The records sampled one after the other, before sampling slows down; also the weight of the moving mean. */
    static final int WARM_UP_SAMPLES = 16;
    /** After the warm-up, one record shown in this many is sampled. */
    static final int SAMPLE_EVERY = 16;

    private final TypeSerializer<Object> type;
    private final ByteCounter counter = new ByteCounter();
    private long shown;
    private long samples;
    private double mean;
    private double variance;

    SampledRecordSize(TypeSerializer<Object> type) {
        this.type = type;
    }

    /** A record of the edge (the first of a batch); sampled if it is its turn. */
    void show(Object record) {
        if (shown < WARM_UP_SAMPLES || shown % SAMPLE_EVERY == 0) {
            sample(record);
        }
        shown++;
    }

    /** Whether a record was sampled yet: before, {@link #mean} and {@link #deviation} are 0. */
    boolean known() {
        return samples > 0;
    }

    /** The mean serialized size of a record, in bytes. */
    double mean() {
        return mean;
    }

    /** The standard deviation of a record's serialized size, in bytes. */
    double deviation() {
        return Math.sqrt(variance);
    }

    /**
     * How far {@link #mean} itself may be off: the variance of the estimated mean as a share of a record's variance,
     * {@code 1/n} for the plain mean of {@code n} samples, {@code w/(2-w)} for the moving mean of weight {@code w}.
     */
    double meanVarianceShare() {
        if (samples <= WARM_UP_SAMPLES) {
            return 1.0 / Math.max(1, samples);
        }
        double weight = 1.0 / WARM_UP_SAMPLES;
        return weight / (2 - weight);
    }

    private void sample(Object record) {
        counter.reset();
        try {
            type.serialize(record, counter);
        } catch (IOException | RuntimeException e) {
            return; // says nothing of the other records' size
        }
        samples++;
        // an exponentially weighted mean and variance (West's update), which over the first samples, weight 1/n, are
        // the plain mean and population variance
        double weight = 1.0 / Math.min(samples, WARM_UP_SAMPLES);
        double difference = counter.size() - mean;
        mean += weight * difference;
        variance = (1 - weight) * (variance + weight * difference * difference);
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
