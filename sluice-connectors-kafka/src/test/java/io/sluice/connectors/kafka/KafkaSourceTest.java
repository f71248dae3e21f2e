package io.sluice.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.sink.Sink;
import io.sluice.api.sink.SinkWriter;
import io.sluice.api.types.Types;
import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.api.execution.JobResult;
import io.sluice.connectors.kafka.source.KafkaBadRecord;
import io.sluice.connectors.kafka.source.KafkaDeserializer;
import io.sluice.connectors.kafka.source.KafkaPartitionSplit;
import io.sluice.connectors.kafka.source.KafkaSource;
import io.sluice.connectors.kafka.source.StartingOffsets;
import io.sluice.connectors.kafka.source.StoppingOffsets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KafkaSource} against a real broker; the oracle is what the test itself produced with a plain producer.
 */
class KafkaSourceTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    private static final AtomicInteger TOPIC_IDS = new AtomicInteger();


    private static String topic(String name) {
        return name + "-" + TOPIC_IDS.incrementAndGet();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, String value) {
        return new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code perPartition} records "topic/partition/i" into every partition of {@code topics}; returns them. */
    private static List<String> fill(List<String> topics, int partitions, int perPartition) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String t : topics) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    String v = t + "/" + p + "/" + i;
                    values.add(v);
                    records.add(record(t, p, v));
                }
            }
        }
        KAFKA.kafka().produce(records);
        return values;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 5})
    void boundedReadOfThreeTopicsOfFourPartitionsReadsEveryRecordOnce(int parallelism) throws Exception {
        List<String> topics = List.of(topic("a"), topic("b"), topic("c"));
        for (String t : topics) {
            KAFKA.kafka().createTopic(t, 4);
        }
        List<String> expected = fill(topics, 4, 250);

        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        env.fromSource(KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(topics.toArray(String[]::new))
                        .valueDeserializer(KafkaDeserializer.utf8()).stoppingOffsets(StoppingOffsets.latest()).build(),
                "Kafka").sinkTo(sink);
        env.execute("bounded kafka read");
        assertSameMultiset(expected, sink.results());
        sink.clear();
    }

    @Test
    void topicPatternAndExplicitStartingOffsets() throws Exception {
        String prefix = "pattern" + TOPIC_IDS.incrementAndGet() + "-";
        KAFKA.kafka().createTopic(prefix + "x", 2);
        KAFKA.kafka().createTopic(prefix + "y", 1);
        fill(List.of(prefix + "x"), 2, 10);
        fill(List.of(prefix + "y"), 1, 10);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        CollectSink<String> sink = new CollectSink<>();
        env.fromSource(KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topicPattern(prefix + ".*")
                .valueDeserializer(KafkaDeserializer.utf8())
                .startingOffsets(StartingOffsets.explicit(Map.of(
                        new org.apache.kafka.common.TopicPartition(prefix + "x", 1), 7L)))
                .stoppingOffsets(StoppingOffsets.latest()).build(), "Kafka").sinkTo(sink);
        env.execute("pattern");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(prefix + "x/0/" + i);
            expected.add(prefix + "y/0/" + i);
        }
        for (int i = 7; i < 10; i++) {
            expected.add(prefix + "x/1/" + i);
        }
        assertSameMultiset(expected, sink.results());
        sink.clear();
    }

    /** A sink that makes records visible to the test while the job runs (test JVM only). */
    private static final Map<String, Queue<String>> LIVE = new ConcurrentHashMap<>();

    private record LiveSink(String id) implements Sink<String> {
        @Override
        public SinkWriter<String> createWriter(io.sluice.api.sink.SinkContext context) {
            Queue<String> q = LIVE.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>());
            return new SinkWriter<>() {
                @Override
                public void write(String record) {
                    q.add(record);
                }

                @Override
                public void close() {}
            };
        }
    }

    @Test
    void discoversNewPartitionsAndTopicsWhileRunning() throws Exception {
        String prefix = "disc" + TOPIC_IDS.incrementAndGet() + "-";
        KAFKA.kafka().createTopic(prefix + "one", 1);
        List<String> expected = new ArrayList<>(fill(List.of(prefix + "one"), 1, 5));
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        String id = "discovery-" + prefix;
        env.fromSource(KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topicPattern(prefix + ".*")
                .valueDeserializer(KafkaDeserializer.utf8()).partitionDiscoveryInterval(Duration.ofMillis(300))
                .build(), "Kafka").sinkTo(new LiveSink(id));
        JobClient job = env.executeAsync("discovery");
        try {
            awaitTrue("the first partition's records", Duration.ofSeconds(60), () -> seen(id).size() >= 5);
            KAFKA.kafka().addPartitions(prefix + "one", 3);
            KAFKA.kafka().createTopic(prefix + "two", 2);
            expected.addAll(fill(List.of(prefix + "one"), 3, 5)); // partition 0's values a second time, as records
            expected.addAll(fill(List.of(prefix + "two"), 2, 5));
            awaitTrue("every record, new partitions and topics included", Duration.ofSeconds(60),
                    () -> seen(id).size() >= expected.size());
            Thread.sleep(300); // nothing more may come
            assertSameMultiset(expected, seen(id));
        } finally {
            cancel(job);
            LIVE.remove(id);
        }
    }

    private static List<String> seen(String id) {
        return new ArrayList<>(LIVE.getOrDefault(id, new ConcurrentLinkedQueue<>()));
    }

    /** Fails once, at the {@code failAt}-th record of the first attempt; static: the test JVM runs the job. */
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    /** Passes records on; throws once (per test JVM) at its subtask's {@code failAt}-th record. */
    private static final class FailOnce implements ProcessFunction<String, String> {
        private final int failAt;
        private int count;

        FailOnce(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> collector) throws Exception {
            if (++count == failAt && FAILURES_LEFT.getAndDecrement() > 0) {
                throw new IllegalStateException("injected failure");
            }
            if (count % 100 == 0) {
                Thread.sleep(20); // slow enough for checkpoints to complete before the failure
            }
            collector.collect(value);
        }
    }

    private static final class TimestampAndWatermark implements ProcessFunction<String, String> {
        @Override
        public void processElement(String value, Context ctx, Collector<String> out) {
            out.collect(ctx.timestamp() + " " + ctx.currentWatermark());
        }
    }

    @Test
    void offsetsAreRestoredFromTheCheckpointAfterAFailure(@TempDir Path out) throws Exception {
        String t = topic("restore");
        KAFKA.kafka().createTopic(t, 3);
        List<String> expected = fill(List.of(t), 3, 2000);
        FAILURES_LEFT.set(1);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)).withDirectory(
                        Files.createDirectories(out.resolve("ckp")).toString()))
                .setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(100)));
        env.fromSource(KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(t)
                        .valueDeserializer(KafkaDeserializer.utf8()).stoppingOffsets(StoppingOffsets.latest()).build(),
                        "Kafka")
                .process(new FailOnce(1500), Types.STRING)
                .sinkTo(new TransactionalFileSink<>(out.resolve("data").toString()));
        env.execute("restore");
        assertTrue(FAILURES_LEFT.get() < 0 || FAILURES_LEFT.get() == 0, "the failure was injected");
        assertSameMultiset(expected, TransactionalFileSink.readCommitted(out.resolve("data")));
    }

    @Test
    void aPoisonRecordFailsTheJobNamingTopicPartitionAndOffset() throws Exception {
        String t = topic("poison");
        KAFKA.kafka().createTopic(t, 2);
        KAFKA.kafka().produce(List.of(record(t, 1, "fine"), record(t, 1, "fine too"),
                new ProducerRecord<>(t, 1, null, new byte[] {'b', (byte) 0xC3, (byte) 0x28})));
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1)
                .setRestartStrategy(RestartStrategy.none());
        env.fromSource(KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(t)
                .valueDeserializer(KafkaDeserializer.utf8()).stoppingOffsets(StoppingOffsets.latest()).build(),
                "Kafka in").sinkTo(new CollectSink<>());
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("poison"));
        String message = messages(e);
        assertTrue(message.contains("topic " + t + ", partition 1, offset 2"), message);
        assertTrue(message.contains("Kafka in") && message.contains("subtask 1/1"), message);
        assertTrue(!message.contains("null"), message);
    }

    /**
     * Opted in: the poison records (2 in partition 0, 1 in partition 1, at known offsets) go to the side output with
     * their coordinates and are counted; every good record is read exactly once, the ones after a poison included.
     */
    @Test
    void badRecordsGoToTheSideOutputWithTheirCoordinatesAndAreCounted() throws Exception {
        String t = topic("bad");
        KAFKA.kafka().createTopic(t, 2);
        byte[] poison = {'b', (byte) 0xC3, (byte) 0x28};
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        Set<String> poisonAt = Set.of(t + "/0/10", t + "/0/11", t + "/1/49");
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < 100; i++) {
                String v = t + "/" + p + "/" + i;
                if (poisonAt.contains(v)) {
                    records.add(new ProducerRecord<>(t, p, "k".getBytes(StandardCharsets.UTF_8), poison));
                } else {
                    records.add(record(t, p, v));
                    expected.add(v);
                }
            }
        }
        KAFKA.kafka().produce(records);
        var tag = KafkaBadRecord.outputTag("bad records");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2).setRestartStrategy(RestartStrategy.none());
        CollectSink<String> good = new CollectSink<>();
        CollectSink<KafkaBadRecord> bad = new CollectSink<>();
        var stream = env.fromSource(KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(t)
                .valueDeserializer(KafkaDeserializer.utf8()).stoppingOffsets(StoppingOffsets.latest())
                .badRecordsToSideOutput(tag).build(), "Kafka in");
        stream.sinkTo(good).name("Good");
        stream.getSideOutput(tag).sinkTo(bad).name("Bad");
        JobResult result = env.execute("bad records");
        assertSameMultiset(expected, good.results());
        List<String> badAt = bad.results().stream().map(KafkaBadRecord::coordinates).sorted().toList();
        assertEquals(List.of("topic " + t + ", partition 0, offset 10", "topic " + t + ", partition 0, offset 11",
                "topic " + t + ", partition 1, offset 49"), badAt);
        KafkaBadRecord first = bad.results().stream().filter(b -> b.offset() == 10).findFirst().orElseThrow();
        assertEquals("k", new String(first.key(), StandardCharsets.UTF_8));
        assertTrue(java.util.Arrays.equals(poison, first.value()));
        assertTrue(first.error().contains("MalformedInput") || first.error().contains("UTF-8")
                || first.error().contains("Charac"), first.error());
        assertEquals(3, result.operator("Bad").recordsIn(), "bad records counted where the side output is read");
        assertEquals(200, result.operator("Kafka in").recordsOut(), "the source counts good and bad records");
        good.clear();
        bad.clear();
    }

    /**
     * With commitOffsets, the reader commits a snapshot's offsets to the group only once its checkpoint completes:
     * checkpoint 1's snapshot is not committed before, a snapshot whose checkpoint never completes (2) not at all,
     * and completing 3 commits 3's offsets. Then a running job's offsets reach the group through the runtime.
     */
    @Test
    void offsetsAreCommittedToTheGroupWhenTheCheckpointCompletes(@TempDir Path out) throws Exception {
        String t = topic("commit");
        KAFKA.kafka().createTopic(t, 1);
        fill(List.of(t), 1, 30);
        TopicPartition tp = new TopicPartition(t, 0);
        KafkaSource<String> source = KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(t)
                .valueDeserializer(KafkaDeserializer.utf8()).groupId("g-" + t).commitOffsets(true)
                .consumerProperty("max.poll.records", "10").build();
        List<String> read = new ArrayList<>();
        try (var reader = source.createReader(new ReaderContext())) {
            reader.addSplits(List.of(new KafkaPartitionSplit(t, 0, 0, KafkaPartitionSplit.NO_STOP)));
            pollUntil(reader, read, 10);
            long first = reader.snapshotSplits(1).getFirst().offset();
            Thread.sleep(300);
            pollOnce(reader, read);
            assertEquals(null, committed(t, tp), "nothing committed before checkpoint 1 completes");
            reader.notifyCheckpointComplete(1);
            awaitCommitted(reader, read, t, tp, first);
            pollUntil(reader, read, 20);
            reader.snapshotSplits(2);
            pollUntil(reader, read, 30);
            long third = reader.snapshotSplits(3).getFirst().offset();
            assertEquals(30, third);
            Thread.sleep(300);
            pollOnce(reader, read);
            assertEquals(first, committed(t, tp), "checkpoint 2 never completed: nothing new committed");
            reader.notifyCheckpointComplete(3);
            awaitCommitted(reader, read, t, tp, third);
        }

        // Through the runtime: a job with checkpoints commits as its checkpoints complete.
        String t2 = topic("commit-job");
        KAFKA.kafka().createTopic(t2, 2);
        fill(List.of(t2), 2, 50);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2)
                .enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)).withDirectory(
                        Files.createDirectories(out.resolve("ckp")).toString()));
        String id = "commit-" + t2;
        env.fromSource(KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(t2)
                .valueDeserializer(KafkaDeserializer.utf8()).groupId("g-" + t2).commitOffsets(true).build(),
                "Kafka").sinkTo(new LiveSink(id));
        JobClient job = env.executeAsync("commit on completion");
        try {
            awaitTrue("offset 50 committed in both partitions", Duration.ofSeconds(60), () -> {
                Long a = committed(t2, new TopicPartition(t2, 0));
                Long b = committed(t2, new TopicPartition(t2, 1));
                return a != null && a == 50 && b != null && b == 50;
            });
            assertEquals(100, seen(id).size());
        } finally {
            cancel(job);
            LIVE.remove(id);
        }
    }

    private static final class ReaderContext implements io.sluice.api.source.SourceReaderContext {
        @Override
        public int subtaskIndex() {
            return 0;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public String operatorName() {
            return "Kafka reader";
        }
    }

    private static final class ListOutput implements io.sluice.api.source.SourceOutput<String> {
        final List<String> records;

        ListOutput(List<String> records) {
            this.records = records;
        }

        @Override
        public void collect(String record) {
            records.add(record);
        }

        @Override
        public void collect(String record, long timestamp) {
            records.add(record);
        }
    }

    private static void pollOnce(io.sluice.api.source.SourceReader<String, KafkaPartitionSplit> reader,
            List<String> read) throws Exception {
        reader.pollNext(new ListOutput(read));
    }

    private static void pollUntil(io.sluice.api.source.SourceReader<String, KafkaPartitionSplit> reader,
            List<String> read, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("read " + read.size() + " of " + count + " records in 30 s");
            }
            pollOnce(reader, read);
        }
    }

    /** Polls (which completes the reader's asynchronous commit) until the group's offset is {@code expected}. */
    private static void awaitCommitted(io.sluice.api.source.SourceReader<String, KafkaPartitionSplit> reader,
            List<String> read, String topic, TopicPartition tp, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Long got;
        while ((got = committed(topic, tp)) == null || got != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the group's offset of " + tp + " is " + got + ", not " + expected);
            }
            pollOnce(reader, read);
            Thread.sleep(20);
        }
    }

    /** The offset group {@code "g-" + topic} committed for {@code tp}, or {@code null}. */
    private static Long committed(String topic, TopicPartition tp) {
        try {
            var offsets = KAFKA.kafka().admin.listConsumerGroupOffsets("g-" + topic).partitionsToOffsetAndMetadata()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            var o = offsets.get(tp);
            return o == null ? null : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group g-" + topic, e);
        }
    }

    /** Partition 1 gets no records: once idle, it must not hold the watermark back. */
    @Test
    void anIdlePartitionDoesNotHoldTheWatermarkBack() throws Exception {
        String t = topic("idle");
        KAFKA.kafka().createTopic(t, 2);
        long base = 1_700_000_000_000L;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(new ProducerRecord<>(t, 0, base + i * 1000L, null, ("r" + i).getBytes(StandardCharsets.UTF_8)));
        }
        KAFKA.kafka().produce(records);
        String id = "idle-" + t;
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        env.fromSource(KafkaSource.builder().bootstrapServers(KAFKA.kafka().bootstrap()).topics(t)
                        .valueDeserializer(KafkaDeserializer.utf8()).build(),
                        WatermarkStrategy.<String>forMonotonousTimestamps().withIdleness(Duration.ofMillis(300)),
                        "Kafka")
                .process(new TimestampAndWatermark(), Types.STRING)
                .sinkTo(new LiveSink(id));
        JobClient job = env.executeAsync("idle");
        try {
            awaitTrue("the first records", Duration.ofSeconds(60), () -> seen(id).size() >= 20);
            Thread.sleep(1000); // the empty partition turns idle
            KAFKA.kafka().produce(List.of(new ProducerRecord<>(t, 0, base + 60_000L, null,
                    "late".getBytes(StandardCharsets.UTF_8))));
            awaitTrue("the last record", Duration.ofSeconds(60), () -> seen(id).size() >= 21);
            String last = seen(id).get(20);
            long watermark = Long.parseLong(last.split(" ")[1]);
            // The watermark before the last record: at least the 20th record's time, which only the active
            // partition could have moved it to (the idle one has no records at all).
            assertTrue(watermark >= base + 19_000L - 1, "watermark " + watermark + " in '" + last + "'");
        } finally {
            cancel(job);
            LIVE.remove(id);
        }
    }

    static void cancel(JobClient job) throws InterruptedException {
        job.cancel();
        try {
            job.await();
        } catch (JobExecutionException expectedOnCancel) {
            // cancelled
        }
    }

    static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append(" | ");
        }
        return b.toString();
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static void assertSameMultiset(Collection<String> expected, Collection<String> actual) {
        Map<String, Integer> want = counts(expected);
        Map<String, Integer> got = counts(actual);
        if (!want.equals(got)) {
            Set<String> missing = new HashSet<>(want.keySet());
            missing.removeAll(got.keySet());
            List<String> duplicated = got.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .limit(10).toList();
            Set<String> unexpected = new HashSet<>(got.keySet());
            unexpected.removeAll(want.keySet());
            throw new AssertionError("expected " + expected.size() + " records, got " + actual.size() + "; missing "
                    + missing.size() + " (e.g. " + missing.stream().limit(10).toList() + "), duplicated (e.g. "
                    + duplicated + "), unexpected " + unexpected.stream().limit(10).toList());
        }
    }

    private static Map<String, Integer> counts(Collection<String> values) {
        Map<String, Integer> m = new java.util.HashMap<>();
        values.forEach(v -> m.merge(v, 1, Integer::sum));
        return m;
    }
}
