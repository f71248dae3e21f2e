package io.sluice.connectors.kafka.source;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.source.EnumeratorCheckpoint;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SplitEnumerator;
import io.sluice.api.source.SplitEnumeratorContext;
import io.sluice.api.types.TypeSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads Kafka topics: one split per topic partition, assigned to the readers by an enumerator on the coordinator side,
 * which also discovers new partitions and topics (matching the pattern) periodically. Build one with
 * {@link #builder()}.
 *
 * <p><b>Offsets</b> are the source's checkpointed state, the only thing a restore trusts: the starting offsets apply to
 * a fresh start only. Committing offsets back to the consumer group ({@link Builder#commitOffsets}) is for monitoring;
 * a checkpoint's offsets are committed once that checkpoint completes, never before.
 *
 * <p><b>Event time</b>: each record carries its Kafka timestamp; each partition is its own split output, so watermarks
 * are generated per partition and combined by minimum inside each reader, and an idle partition stops holding the
 * watermark back after the idleness of the job's {@code WatermarkStrategy.withIdleness}.
 *
 * <p><b>Bounded</b>: with {@link Builder#stoppingOffsets} the source ends once every partition reached its stopping
 * offset (no discovery then), and the job finishes.
 *
 * <p><b>Bad records</b>: a deserializer that throws fails the job with topic, partition, offset, operator and subtask
 * named; or, with {@link Builder#badRecordsToSideOutput}, the record goes to that side output as a
 * {@link KafkaBadRecord} (with its coordinates), is counted in the source's emitted records and in the received records
 * of whatever reads the side output, and reading goes on past it.
 *
 * @param <T> the records emitted
 */
public final class KafkaSource<T> implements Source<T, KafkaPartitionSplit> {

    /** What the enumerator and the readers are configured with. */
    record Settings(String bootstrapServers, List<String> topics, String topicPattern, Map<String, String> consumer,
            String groupId, StartingOffsets starting, StoppingOffsets stopping, long discoveryMillis,
            boolean commitOffsets, OutputTag<KafkaBadRecord> badRecords) implements java.io.Serializable {

        boolean matches(String topic) {
            return topicPattern != null ? Pattern.matches(topicPattern, topic) : topics.contains(topic);
        }

        String describeTopics() {
            return topicPattern != null ? "topics matching '" + topicPattern + "'" : "topics " + topics;
        }
    }

    private final Settings settings;
    private final KafkaRecordDeserializer<T> deserializer;

    private KafkaSource(Settings settings, KafkaRecordDeserializer<T> deserializer) {
        this.settings = settings;
        this.deserializer = deserializer;
    }

    public static Builder<?> builder() {
        return new Builder<>();
    }

    @Override
    public TypeSerializer<T> outputType() {
        return deserializer.producedType();
    }

    @Override
    public boolean isBounded() {
        return settings.stopping() != null;
    }

    /** Not used: the enumerator discovers the partitions ({@link #createEnumerator}). */
    @Override
    public List<KafkaPartitionSplit> createSplits(int parallelism) {
        throw new UnsupportedOperationException("a Kafka source's splits come from its enumerator");
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) {
        return new KafkaSourceReader<>(settings, deserializer, context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit> createEnumerator(SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return new KafkaSplitEnumerator(settings, context, List.of(), java.util.Set.of(), false);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit> restoreEnumerator(SplitEnumeratorContext<KafkaPartitionSplit> context,
            EnumeratorCheckpoint<KafkaPartitionSplit> checkpoint) {
        return new KafkaSplitEnumerator(settings, context, checkpoint.unassigned(), checkpoint.knownSplits(), true);
    }

    /** Builds a {@link KafkaSource}; bootstrap servers, topics and a deserializer are required. */
    public static final class Builder<T> {
        private String bootstrapServers;
        private List<String> topics;
        private String topicPattern;
        private KafkaRecordDeserializer<T> deserializer;
        private final Map<String, String> consumer = new HashMap<>();
        private String groupId;
        private StartingOffsets starting = StartingOffsets.earliest();
        private StoppingOffsets stopping;
        private Duration discoveryInterval = Duration.ofSeconds(30);
        private boolean commitOffsets;
        private OutputTag<KafkaBadRecord> badRecords;

        private Builder() {}

        public Builder<T> bootstrapServers(String servers) {
            this.bootstrapServers = Objects.requireNonNull(servers, "servers");
            return this;
        }

        /** Reads these topics (replaces a pattern). */
        public Builder<T> topics(String... topics) {
            this.topics = List.of(topics);
            this.topicPattern = null;
            return this;
        }

        /** Reads every topic whose whole name matches {@code regex}, also topics created later (replaces a list). */
        public Builder<T> topicPattern(String regex) {
            Pattern.compile(regex);
            this.topicPattern = regex;
            this.topics = null;
            return this;
        }

        /** Deserializes record values. */
        @SuppressWarnings("unchecked")
        public <X> Builder<X> valueDeserializer(KafkaDeserializer<X> values) {
            Builder<X> self = (Builder<X>) this;
            self.deserializer = KafkaRecordDeserializer.valueOnly(values);
            return self;
        }

        /** Deserializes whole records (key, headers, partition, offset, timestamp). */
        @SuppressWarnings("unchecked")
        public <X> Builder<X> recordDeserializer(KafkaRecordDeserializer<X> records) {
            Builder<X> self = (Builder<X>) this;
            self.deserializer = Objects.requireNonNull(records, "records");
            return self;
        }

        /** Any consumer setting ({@code isolation.level}, {@code max.poll.records}, security settings, ...). */
        public Builder<T> consumerProperty(String key, String value) {
            consumer.put(key, value);
            return this;
        }

        /** The consumer group: needed for {@link StartingOffsets#committed()} and {@link #commitOffsets}. */
        public Builder<T> groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Where a fresh start reads from (default: earliest). */
        public Builder<T> startingOffsets(StartingOffsets offsets) {
            this.starting = Objects.requireNonNull(offsets, "offsets");
            return this;
        }

        /** Makes the source bounded: each partition is read up to its stopping offset. */
        public Builder<T> stoppingOffsets(StoppingOffsets offsets) {
            this.stopping = Objects.requireNonNull(offsets, "offsets");
            return this;
        }

        /** How often new partitions and topics are looked for (default 30 s); zero turns discovery off. */
        public Builder<T> partitionDiscoveryInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("partition discovery interval must not be negative: " + interval);
            }
            this.discoveryInterval = interval;
            return this;
        }

        /**
         * Commits each checkpoint's offsets to the consumer group when that checkpoint completes, for monitoring only
         * (needs a group id); a restore never reads them.
         */
        public Builder<T> commitOffsets(boolean commit) {
            this.commitOffsets = commit;
            return this;
        }

        /**
         * Records the deserializer throws on go to the side output {@code tag} (see {@link KafkaBadRecord#outputTag})
         * instead of failing the job; reading goes on past them. Read them with {@code getSideOutput(tag)} on the
         * source's stream (a side output nothing reads drops them, counted only in the source's emitted records).
         */
        public Builder<T> badRecordsToSideOutput(OutputTag<KafkaBadRecord> tag) {
            this.badRecords = Objects.requireNonNull(tag, "tag");
            return this;
        }

        public KafkaSource<T> build() {
            if (bootstrapServers == null) {
                throw new IllegalStateException("KafkaSource: bootstrapServers is required");
            }
            if (topics == null && topicPattern == null || topics != null && topics.isEmpty()) {
                throw new IllegalStateException("KafkaSource: topics or topicPattern is required");
            }
            if (deserializer == null) {
                throw new IllegalStateException("KafkaSource: valueDeserializer or recordDeserializer is required");
            }
            String group = groupId != null ? groupId : consumer.get("group.id");
            if (group == null && (commitOffsets || starting instanceof StartingOffsets.Committed)) {
                throw new IllegalStateException("KafkaSource: committed starting offsets and commitOffsets need a "
                        + "groupId");
            }
            Settings s = new Settings(bootstrapServers, topics, topicPattern, Map.copyOf(consumer), group, starting,
                    stopping, discoveryInterval.toMillis(), commitOffsets, badRecords);
            return new KafkaSource<>(s, deserializer);
        }
    }
}
