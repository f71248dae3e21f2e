package io.sluice.connectors.kafka.sink;

import java.io.Serializable;

/**
 * A pre-committed Kafka transaction, as a checkpoint stores it: everything needed to commit it after a crash.
 *
 * @param transactionalId the id the producer used ({@code prefix-subtask-n})
 * @param producerId      the producer id the broker gave it
 * @param epoch           the producer epoch of the transaction (Kafka 4's transaction version 2 bumps it per
 *                        transaction, so it is recorded per transaction, not per producer)
 * @param checkpointId    the checkpoint whose barrier pre-committed it
 * @param subtask         the sink subtask index that wrote it (the owner of its id after a rescale is
 *                        {@code subtask % parallelism})
 */
public record KafkaTransaction(String transactionalId, long producerId, short epoch, long checkpointId, int subtask)
        implements Serializable {

    @Override
    public String toString() {
        return "transaction '" + transactionalId + "' (producer id " + producerId + ", epoch " + epoch
                + ", checkpoint " + (checkpointId == Long.MAX_VALUE ? "end of input" : checkpointId) + ")";
    }
}
