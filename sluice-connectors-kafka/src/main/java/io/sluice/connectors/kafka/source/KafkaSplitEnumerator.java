package io.sluice.connectors.kafka.source;

import io.sluice.api.source.SplitEnumerator;
import io.sluice.api.source.SplitEnumeratorContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the partitions of the source's topics and assigns each, as a split with a resolved starting offset, to its
 * reader ({@link #owner}: a fixed function of topic and partition, so a partition always goes to the same reader at
 * one parallelism). Assignments go out at once (the runtime queues them for readers not yet connected), so this
 * enumerator owns no split for long: its checkpoint state is what it was handed back and has not reassigned.
 *
 * <p>The first discovery of a fresh start uses the configured starting offsets; partitions found later, and every
 * partition a restored run finds that its checkpoint does not know, start at their earliest offset. A bounded source
 * discovers once, at the start, and then tells each reader that no more splits come.
 *
 * <p>Threading: the source coordinator thread only (its periodic discovery too).
 */
final class KafkaSplitEnumerator implements SplitEnumerator<KafkaPartitionSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSplitEnumerator.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 60;

    private final KafkaSource.Settings settings;
    private final SplitEnumeratorContext<KafkaPartitionSplit> context;
    private final List<KafkaPartitionSplit> restoredUnassigned;
    private final Set<String> known;
    private final boolean restored;
    private Admin admin;
    private final Set<String> missingTopicsWarned = new HashSet<>();

    KafkaSplitEnumerator(KafkaSource.Settings settings, SplitEnumeratorContext<KafkaPartitionSplit> context,
            List<KafkaPartitionSplit> restoredUnassigned, Set<String> knownSplits, boolean restored) {
        this.settings = settings;
        this.context = context;
        this.restoredUnassigned = List.copyOf(restoredUnassigned);
        this.known = new HashSet<>(knownSplits);
        this.restored = restored;
    }

    @Override
    public void start() {
        Properties props = new Properties();
        props.putAll(settings.consumer());
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-" + context.operatorName() + "-enumerator");
        admin = Admin.create(props);
        for (KafkaPartitionSplit s : restoredUnassigned) {
            context.assignSplits(owner(s.topic(), s.partition(), context.parallelism()), List.of(s));
        }
        discover(!restored);
        if (settings.stopping() == null && settings.discoveryMillis() > 0) {
            context.schedulePeriodic(() -> discover(false), Duration.ofMillis(settings.discoveryMillis()));
        }
    }

    @Override
    public void addReader(int subtask) {
        if (settings.stopping() != null) {
            // Every split was assigned in start(), before this; the runtime keeps the order per reader.
            context.signalNoMoreSplits(subtask);
        }
    }

    @Override
    public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtask) {
        context.assignSplits(subtask, splits);
    }

    @Override
    public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
        return List.of(); // every split is assigned as soon as it is found
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The reader of a partition: topics spread their partition 0 over the readers, the partitions of one topic then
     * go round-robin from there, so several small topics do not all land on reader 0.
     */
    static int owner(String topic, int partition, int parallelism) {
        int start = Math.floorMod(topic.hashCode() * 31, parallelism);
        return (start + partition) % parallelism;
    }

    private void discover(boolean firstOfFreshStart) {
        Map<TopicPartition, Boolean> found = new HashMap<>();
        for (TopicPartition tp : partitions()) {
            if (!known.contains(KafkaPartitionSplit.id(tp.topic(), tp.partition()))) {
                found.put(tp, Boolean.TRUE);
            }
        }
        if (found.isEmpty()) {
            return;
        }
        OffsetResolver resolver = new OffsetResolver(admin, settings, context.operatorName());
        Map<TopicPartition, Long> start = firstOfFreshStart
                ? resolver.starting(found.keySet(), settings.starting())
                : resolver.starting(found.keySet(), StartingOffsets.earliest());
        Map<TopicPartition, Long> stop = settings.stopping() == null ? Map.of()
                : resolver.stopping(found.keySet(), settings.stopping());
        List<TopicPartition> ordered = new ArrayList<>(found.keySet());
        ordered.sort((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                : a.topic().compareTo(b.topic()));
        for (TopicPartition tp : ordered) {
            long stopAt = stop.getOrDefault(tp, KafkaPartitionSplit.NO_STOP);
            KafkaPartitionSplit split = new KafkaPartitionSplit(tp.topic(), tp.partition(), start.get(tp), stopAt);
            known.add(split.splitId());
            context.assignSplits(owner(tp.topic(), tp.partition(), context.parallelism()), List.of(split));
        }
        if (!firstOfFreshStart || restored) {
            LOG.info("Kafka source '{}': found {} new partition(s): {}", context.operatorName(), ordered.size(), ordered);
        }
    }

    private List<TopicPartition> partitions() {
        try {
            Set<String> names = new TreeSet<>();
            for (String t : admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                if (settings.matches(t)) {
                    names.add(t);
                }
            }
            if (settings.topics() != null) {
                for (String t : settings.topics()) {
                    if (!names.contains(t)) {
                        missing(t);
                    }
                }
            }
            if (names.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> partitions = new ArrayList<>();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (TopicDescription d : described.values()) {
                d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
            }
            return partitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Kafka source '" + context.operatorName() + "': interrupted while listing "
                    + settings.describeTopics(), e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka source '" + context.operatorName() + "': cannot list the partitions "
                    + "of " + settings.describeTopics() + " at " + settings.bootstrapServers() + ": " + e, e);
        }
    }

    /** A listed topic that does not exist: a bounded source cannot end correctly without it, a running one waits. */
    private void missing(String topic) {
        if (settings.stopping() != null) {
            throw new IllegalStateException("Kafka source '" + context.operatorName() + "': topic '" + topic
                    + "' does not exist at " + settings.bootstrapServers());
        }
        if (missingTopicsWarned.add(topic)) {
            LOG.warn("Kafka source '{}': topic '{}' does not exist (yet) at {}; it is read once it appears",
                    context.operatorName(), topic, settings.bootstrapServers());
        }
    }
}
