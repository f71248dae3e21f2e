package io.sluice.connectors.kafka.sink;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The writer of {@code NONE} and {@code AT_LEAST_ONCE}: one non-transactional producer; at a barrier
 * {@code AT_LEAST_ONCE} waits until every record sent so far is acknowledged (so a completed checkpoint never covers a
 * record the broker does not have). It has no transactions: pre-commit returns {@code null}, commit never comes.
 * Task thread only.
 */
final class PlainWriter<T> implements TwoPhaseCommitSink.TransactionalWriter<T, KafkaTransaction> {
    private final KafkaSink.Settings settings;
    private final KafkaRecordSerializer<T> serializer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SendErrors errors;

    PlainWriter(KafkaSink.Settings settings, KafkaRecordSerializer<T> serializer, SinkContext context) {
        this.settings = settings;
        this.serializer = serializer;
        this.errors = new SendErrors(ExactlyOnceWriter.describe(context));
        this.producer = new KafkaProducer<>(settings.producerProperties());
    }

    @Override
    public void recover(List<KafkaTransaction> committedByCheckpoint) {
        // nothing to finish: no transactions
    }

    @Override
    public void write(T record) throws Exception {
        errors.check("writing");
        producer.send(serializer.serialize(record), errors);
    }

    @Override
    public KafkaTransaction preCommit(long checkpointId) {
        // NONE flushes only at the end of the input, so that a finished job's records are all sent.
        if (settings.guarantee() == DeliveryGuarantee.AT_LEAST_ONCE || checkpointId == Long.MAX_VALUE) {
            producer.flush();
            errors.check("flushing at checkpoint " + checkpointId);
        }
        return null;
    }

    @Override
    public void commit(KafkaTransaction transaction) {
        throw new IllegalStateException("a " + settings.guarantee() + " Kafka sink has no transactions to commit");
    }

    @Override
    public void close() {
        Uninterrupted.run(() -> producer.close(Duration.ZERO));
    }
}
