package io.sluice.connectors.kafka.sink;

import io.sluice.api.sink.SinkContext;
import io.sluice.api.sink.TwoPhaseCommitSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes to Kafka with the chosen {@link DeliveryGuarantee}. Build one with {@link #builder()}.
 *
 * <p>It is a {@link TwoPhaseCommitSink} in every mode, because that is where the runtime calls a sink at each
 * checkpoint barrier: {@code EXACTLY_ONCE} pre-commits a transaction there ({@link ExactlyOnceWriter}),
 * {@code AT_LEAST_ONCE} flushes, {@code NONE} does nothing ({@link PlainWriter}).
 *
 * @param <T> the records
 */
public final class KafkaSink<T> implements TwoPhaseCommitSink<T, KafkaTransaction> {
    /** The longest a broker allows by default ({@code transaction.max.timeout.ms}); a shorter one loses data sooner. */
    static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    /** What the writers are configured with. */
    record Settings(Map<String, String> producer, DeliveryGuarantee guarantee, String transactionalIdPrefix,
            int poolSize, long expectedRecoveryMillis) implements java.io.Serializable {

        Properties producerProperties() {
            Properties p = new Properties();
            p.putAll(producer);
            p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            return p;
        }
    }

    private final Settings settings;
    private final KafkaRecordSerializer<T> serializer;

    private KafkaSink(Settings settings, KafkaRecordSerializer<T> serializer) {
        this.settings = settings;
        this.serializer = serializer;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return settings.guarantee();
    }

    @Override
    public TransactionalWriter<T, KafkaTransaction> createWriter(SinkContext context) {
        return settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE
                ? new ExactlyOnceWriter<>(settings, serializer, context)
                : new PlainWriter<>(settings, serializer, context);
    }

    /** Builds a {@link KafkaSink}; bootstrap servers and a record serializer are required. */
    public static final class Builder<T> {
        private final Map<String, String> producer = new HashMap<>();
        private KafkaRecordSerializer<T> serializer;
        private DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;
        private String transactionalIdPrefix;
        private int poolSize = 8;
        private Duration expectedRecovery = Duration.ZERO;

        private Builder() {}

        public Builder<T> bootstrapServers(String servers) {
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(servers, "servers"));
            return this;
        }

        public Builder<T> recordSerializer(KafkaRecordSerializer<T> serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /** {@code NONE}, {@code AT_LEAST_ONCE} (the default) or {@code EXACTLY_ONCE}. */
        public Builder<T> deliveryGuarantee(DeliveryGuarantee guarantee) {
            this.guarantee = Objects.requireNonNull(guarantee, "guarantee");
            return this;
        }

        /**
         * The prefix of the transactional ids ({@code prefix-subtask-n}); required for exactly-once, and unique per
         * job on a Kafka cluster: a restored job aborts every open transaction of its prefix.
         */
        public Builder<T> transactionalIdPrefix(String prefix) {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException("transactional id prefix must not be blank");
            }
            this.transactionalIdPrefix = prefix;
            return this;
        }

        /**
         * How many transactional ids (and producers) one subtask may use at once (default 8): one is open, the others
         * wait for their checkpoint to complete. A subtask that needs more (checkpoints keep failing while records
         * flow) fails, and the restore aborts what it had open.
         */
        public Builder<T> transactionalIdPoolSize(int size) {
            if (size < 2) {
                throw new IllegalArgumentException("the transactional id pool needs at least 2 ids, was " + size);
            }
            this.poolSize = size;
            return this;
        }

        /** Any producer setting ({@code transaction.timeout.ms}, {@code linger.ms}, security settings, ...). */
        public Builder<T> producerProperty(String key, String value) {
            producer.put(key, value);
            return this;
        }

        /**
         * The longest a transaction may have to wait for its commit, when it is more than the job's settings say
         * (checkpoint interval + checkpoint timeout + the restart strategy's longest wait, which the runtime passes on
         * by itself: {@code SinkContext.expectedRecoveryTime()}), e.g. the time to notice a failure. A writer warns at
         * start when {@code transaction.timeout.ms} is shorter than the larger of the two: the broker would abort such a
         * transaction, losing its data.
         */
        public Builder<T> expectedRecoveryTime(Duration time) {
            this.expectedRecovery = Objects.requireNonNull(time, "time");
            return this;
        }

        public KafkaSink<T> build() {
            if (!producer.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalStateException("KafkaSink: bootstrapServers is required");
            }
            if (serializer == null) {
                throw new IllegalStateException("KafkaSink: recordSerializer is required");
            }
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && transactionalIdPrefix == null) {
                throw new IllegalStateException("KafkaSink: exactly-once needs a transactionalIdPrefix (unique per job)");
            }
            Map<String, String> p = new HashMap<>(producer);
            if (guarantee != DeliveryGuarantee.NONE) {
                p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
                p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            }
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
            }
            p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
            return new KafkaSink<>(new Settings(Map.copyOf(p), guarantee, transactionalIdPrefix, poolSize,
                    expectedRecovery.toMillis()), serializer);
        }
    }
}
