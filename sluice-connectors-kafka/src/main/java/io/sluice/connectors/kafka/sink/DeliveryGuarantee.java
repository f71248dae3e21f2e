package io.sluice.connectors.kafka.sink;

/** What a {@link KafkaSink} promises after failures. */
public enum DeliveryGuarantee {
    /** Records are sent and never waited for: a failure may lose what was in flight. */
    NONE,
    /** Every checkpoint waits until all records sent before its barrier are acknowledged: nothing lost, replays
     * after a failure are written again (duplicates). */
    AT_LEAST_ONCE,
    /** One Kafka transaction per sink subtask per checkpoint, committed when the checkpoint completes: a
     * {@code read_committed} consumer sees every record exactly once. */
    EXACTLY_ONCE
}
