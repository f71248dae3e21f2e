package io.sluice.connectors.kafka.source;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the partitions assigned to one subtask with one {@link KafkaConsumer} (manual assignment, never a group
 * subscription: the enumerator decides who reads what). Each partition emits through its own split output, so the
 * runtime keeps a watermark per partition and combines them by minimum.
 *
 * <p>The position of a split is the offset after the last record emitted (or skipped past: transaction markers and
 * aborted records under read_committed), so a checkpoint taken between two polls replays nothing and loses nothing.
 *
 * <p>With {@code commitOffsets}, each snapshot's positions are kept by checkpoint id (at most
 * {@value #MAX_PENDING_COMMITS}, the oldest dropped) and committed to the group, asynchronously, once the runtime
 * announces that checkpoint (or a later one) complete: a checkpoint that fails commits nothing.
 *
 * <p>A record the deserializer throws on fails the task, or goes to the job's bad-records side output as a
 * {@link KafkaBadRecord}; its position counts as read either way.
 *
 * <p>Threading: the task thread only, as every {@link SourceReader}; the consumer is never touched elsewhere.
 */
final class KafkaSourceReader<T> implements SourceReader<T, KafkaPartitionSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceReader.class);
    /** How long one poll may wait for records: short, so that checkpoints and timers are not held up. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(5);
    /** Snapshots awaiting their checkpoint's completion, at most: completions of failed checkpoints never come. */
    static final int MAX_PENDING_COMMITS = 16;

    /** A split being read: its partition, output and position. Mutable; task thread. */
    private static final class PartitionState {
        final KafkaPartitionSplit split;
        final TopicPartition tp;
        long next;
        SourceOutput<?> output;

        PartitionState(KafkaPartitionSplit split) {
            this.split = split;
            this.tp = split.topicPartition();
            this.next = split.offset();
        }

        boolean bounded() {
            return split.stoppingOffset() != KafkaPartitionSplit.NO_STOP;
        }
    }

    private final KafkaSource.Settings settings;
    private final KafkaRecordDeserializer<T> deserializer;
    private final SourceReaderContext context;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private SourceOutput<T> lastOutput;
    private boolean noMoreSplits;
    /** Positions by checkpoint id, oldest first, committed when it completes; only with commitOffsets. */
    private final java.util.ArrayDeque<PendingCommit> pendingCommits = new java.util.ArrayDeque<>();

    private record PendingCommit(long checkpointId, Map<TopicPartition, OffsetAndMetadata> offsets) {}

    KafkaSourceReader(KafkaSource.Settings settings, KafkaRecordDeserializer<T> deserializer,
            SourceReaderContext context) {
        this.settings = settings;
        this.deserializer = deserializer;
        this.context = context;
        Properties props = new Properties();
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(settings.consumer());
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // offsets live in checkpoints
        props.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-" + context.operatorName() + "-"
                + context.subtaskIndex());
        if (settings.groupId() != null) {
            props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        }
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void addSplits(List<KafkaPartitionSplit> splits) {
        for (KafkaPartitionSplit s : splits) {
            partitions.put(s.topicPartition(), new PartitionState(s));
        }
        consumer.assign(partitions.keySet());
        for (KafkaPartitionSplit s : splits) {
            consumer.seek(s.topicPartition(), s.offset());
        }
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
    }

    @Override
    public InputStatus pollNext(SourceOutput<T> output) throws Exception {
        if (output != lastOutput) {
            lastOutput = output;
            partitions.values().forEach(p -> p.output = null);
        }
        finishReachedSplits(output);
        if (partitions.isEmpty()) {
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (records.isEmpty()) {
            return InputStatus.NOTHING_AVAILABLE;
        }
        for (TopicPartition tp : records.partitions()) {
            PartitionState p = partitions.get(tp);
            if (p != null) {
                emit(p, records.records(tp), output);
            }
        }
        return InputStatus.MORE_AVAILABLE;
    }

    @SuppressWarnings("unchecked")
    private void emit(PartitionState p, List<ConsumerRecord<byte[], byte[]>> records, SourceOutput<T> output)
            throws Exception {
        SourceOutput<T> out = (SourceOutput<T>) p.output;
        if (out == null) {
            out = output.forSplit(p.split.splitId());
            p.output = out;
        }
        long stop = p.bounded() ? p.split.stoppingOffset() : Long.MAX_VALUE;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.offset() >= stop) {
                break;
            }
            T value;
            try {
                value = deserializer.deserialize(r);
            } catch (Exception e) {
                if (settings.badRecords() == null) {
                    throw badRecord(r, e);
                }
                out.output(settings.badRecords(), new KafkaBadRecord(r.topic(), r.partition(), r.offset(),
                        r.timestamp(), r.key(), r.value(), e.toString()));
                value = null;
            }
            if (value != null) {
                out.collect(value, r.timestamp());
            }
            p.next = r.offset() + 1;
        }
    }

    /** Bounded splits whose position reached the stopping offset are done (markers may sit just before it). */
    private void finishReachedSplits(SourceOutput<T> output) {
        Iterator<PartitionState> it = partitions.values().iterator();
        boolean changed = false;
        while (it.hasNext()) {
            PartitionState p = it.next();
            if (p.bounded() && (p.next >= p.split.stoppingOffset()
                    || consumer.position(p.tp) >= p.split.stoppingOffset())) {
                output.releaseSplit(p.split.splitId());
                it.remove();
                changed = true;
            }
        }
        if (changed) {
            consumer.assign(partitions.keySet());
        }
    }

    private RuntimeException badRecord(ConsumerRecord<byte[], byte[]> r, Exception cause) {
        return new IllegalStateException("Kafka source '" + context.operatorName() + "' (subtask "
                + (context.subtaskIndex() + 1) + "/" + context.parallelism() + "): cannot deserialize the record at "
                + "topic " + r.topic() + ", partition " + r.partition() + ", offset " + r.offset() + ": "
                + cause, cause);
    }

    @Override
    public List<KafkaPartitionSplit> snapshotSplits() {
        return snapshotSplits(0);
    }

    /** The splits at their positions; with commitOffsets, those positions wait for checkpoint {@code id}. */
    @Override
    public List<KafkaPartitionSplit> snapshotSplits(long checkpointId) {
        List<KafkaPartitionSplit> out = new ArrayList<>(partitions.size());
        Map<TopicPartition, OffsetAndMetadata> commit = settings.commitOffsets() ? new HashMap<>() : null;
        for (PartitionState p : partitions.values()) {
            long position = Math.max(p.next, consumer.position(p.tp));
            out.add(p.split.at(position));
            if (commit != null) {
                commit.put(p.tp, new OffsetAndMetadata(position));
            }
        }
        if (commit != null && !commit.isEmpty()) {
            if (pendingCommits.size() == MAX_PENDING_COMMITS) {
                pendingCommits.removeFirst();
            }
            pendingCommits.addLast(new PendingCommit(checkpointId, commit));
        }
        return out;
    }

    /**
     * Commits the positions of the newest snapshot taken for a checkpoint up to {@code checkpointId} to the group and
     * forgets the older ones. For monitoring only: a failed commit is logged at debug and changes nothing a restore
     * reads.
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        PendingCommit newest = null;
        while (!pendingCommits.isEmpty() && pendingCommits.peekFirst().checkpointId() <= checkpointId) {
            newest = pendingCommits.removeFirst();
        }
        if (newest == null) {
            return;
        }
        long id = newest.checkpointId();
        consumer.commitAsync(newest.offsets(), (offsets, e) -> {
            if (e != null) {
                LOG.debug("Kafka source '{}' (subtask {}/{}): committing the offsets of checkpoint {} failed: {}",
                        context.operatorName(), context.subtaskIndex() + 1, context.parallelism(), id, e.toString());
            }
        });
    }

    /**
     * Closes the consumer without waiting: it leaves no group (manual assignment) and commits nothing. A cancelled
     * task's thread is interrupted, which would make the consumer's close throw: the flag is set aside meanwhile.
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
