package io.sluice.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.DataStream;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.MapFunction;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.StreamEdge;
import io.sluice.api.graph.StreamNode;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.api.types.UnsupportedTypeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job graph is plain serializable data, and what cannot be shipped fails early with the operator named. */
class JobGraphSerializationTest {

    record Word(String text, int length) {}

    static final OutputTag<String> SHORT = new OutputTag<>("short", Types.STRING);

    private static JobGraph roundTrip(JobGraph graph) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(graph);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (JobGraph) in.readObject();
        }
    }

    /** A job using lambdas, a method reference, keyed state, a side output, union and a collect sink. */
    private static CollectSink<String> defineJob(StreamEnvironment env, CollectSink<String> shortSink) {
        int minLength = 4; // captured by a lambda
        DataStream<String> lines = env.fromElements("to be or not to be", "that is the question", "whether tis nobler");
        DataStream<Word> words = lines
                .flatMap((String line, Collector<Word> out) -> {
                    for (String w : line.split(" ")) {
                        out.collect(new Word(w, w.length()));
                    }
                }, Types.of(Word.class)).name("Split").uid("split");
        DataStream<String> routed = words
                .process((Word w, ProcessFunction.Context ctx, Collector<String> out) -> {
                    if (w.length() < minLength) {
                        ctx.output(SHORT, w.text());
                    } else {
                        out.collect(w.text());
                    }
                }, Types.STRING).name("Route");
        CollectSink<String> longSink = new CollectSink<>();
        routed.keyBy(s -> s, Types.STRING)
                .reduce((a, b) -> a + "+" + b).name("Join")
                .union(env.generateSequence(1, 3).map(String::valueOf, Types.STRING).name("Numbers"))
                .map(String::toUpperCase, Types.STRING).name("Upper")
                .sinkTo(longSink).name("LongOut");
        routed.getSideOutput(SHORT).sinkTo(shortSink).name("ShortOut").setParallelism(1);
        return longSink;
    }

    @Test
    void aJobGraphWithLambdasRoundTripsThroughJavaSerialization() throws Exception {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        CollectSink<String> shortSink = new CollectSink<>();
        defineJob(env, shortSink);
        JobGraph graph = env.buildJobGraph("round-trip");
        JobGraph copy = roundTrip(graph);

        assertNotSame(graph, copy);
        assertEquals(graph.name(), copy.name());
        assertEquals(graph.config(), copy.config());
        assertEquals(graph.nodes().size(), copy.nodes().size());
        for (int i = 0; i < graph.nodes().size(); i++) {
            StreamNode a = graph.nodes().get(i);
            StreamNode b = copy.nodes().get(i);
            assertEquals(a.id(), b.id());
            assertEquals(a.name(), b.name());
            assertEquals(a.uid(), b.uid());
            assertEquals(a.parallelism(), b.parallelism());
            assertEquals(a.spec().kind(), b.spec().kind());
            assertEquals(a.spec().getClass(), b.spec().getClass());
            assertEquals(a.outputType(), b.outputType(), "serializers are value-equal after the round trip: " + a.name());
        }
        assertEquals(graph.edges().size(), copy.edges().size());
        for (int i = 0; i < graph.edges().size(); i++) {
            StreamEdge a = graph.edges().get(i);
            StreamEdge b = copy.edges().get(i);
            assertEquals(a.sourceId(), b.sourceId());
            assertEquals(a.targetId(), b.targetId());
            assertEquals(a.targetInput(), b.targetInput());
            assertEquals(a.sideOutput(), b.sideOutput());
            assertEquals(a.partitioning().getClass(), b.partitioning().getClass());
        }
        assertEquals("split", copy.nodes().get(1).uid());
    }

    @Test
    void theDeserializedGraphRunsAndGivesTheSameResult() throws Exception {
        List<List<String>> results = new ArrayList<>();
        for (boolean viaBytes : new boolean[] {false, true}) {
            StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
            CollectSink<String> shortSink = new CollectSink<>();
            CollectSink<String> longSink = defineJob(env, shortSink);
            JobGraph graph = env.buildJobGraph("run-" + viaBytes);
            if (viaBytes) {
                graph = roundTrip(graph);
            }
            JobResult result = new LocalExecutor().submit(graph).await();
            assertEquals(13, result.operator("Split").recordsOut(), "6 + 4 + 3 words");
            List<String> all = new ArrayList<>(longSink.results());
            all.addAll(shortSink.results().stream().map(s -> "short:" + s).toList());
            all.sort(null);
            results.add(all);
            longSink.clear();
            shortSink.clear();
        }
        // the oracle: words of length ≥ 4 reduced per word (a running join), numbers 1..3, short words on the side
        List<String> expected = new ArrayList<>(List.of("THAT", "QUESTION", "WHETHER", "NOBLER", "1", "2", "3"));
        for (String s : List.of("to", "be", "or", "not", "to", "be", "is", "the", "tis")) {
            expected.add("short:" + s);
        }
        expected.sort(null);
        assertEquals(expected, results.get(0));
        assertEquals(expected, results.get(1));
    }

    /** A function with a field that cannot be serialized. */
    static final class HoldsALock implements MapFunction<Long, Long> {
        private final Object lock = new Object();

        @Override
        public Long map(Long value) {
            synchronized (lock) {
                return value;
            }
        }
    }

    @Test
    void aFunctionWithANonSerializableFieldFailsAtSubmission() {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.generateSequence(1, 10).map(new HoldsALock(), Types.LONG).name("Locky").sinkTo(new CollectSink<>());
        JobGraph graph = env.buildJobGraph("not-serializable"); // building is fine: nothing is serialized yet
        assertNotNull(graph);
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("not-serializable"));
        assertTrue(e.getMessage().contains("'Locky'"), e.getMessage());
        assertTrue(e.getMessage().contains("not serializable"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Object"), "names the offending class: " + e.getMessage());
        assertNoSluiceThreadStarted("not-serializable");
    }

    @Test
    void aLambdaCapturingANonSerializableObjectFailsAtSubmission() {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
        StringBuilder notSerializable = new StringBuilder("x");
        Thread owner = Thread.currentThread();
        env.fromElements("a", "b").map(s -> s + notSerializable.length() + owner.getName(), Types.STRING).name("Capturer")
                .sinkTo(new CollectSink<>());
        JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("captures"));
        assertTrue(e.getMessage().contains("'Capturer'") && e.getMessage().contains("not serializable"), e.getMessage());
    }

    @Test
    void aLambdaFlatMapWithoutAnOutputTypeFailsWhenTheGraphIsBuilt() {
        StreamEnvironment env = StreamEnvironment.create();
        DataStream<String> words = env.fromElements("a b", "c")
                .flatMap((String line, Collector<String> out) -> {
                    for (String w : line.split(" ")) {
                        out.collect(w);
                    }
                }).name("Splitter");
        words.sinkTo(new CollectSink<>());
        UnsupportedTypeException e = assertThrows(UnsupportedTypeException.class, () -> env.buildJobGraph("untyped"));
        assertTrue(e.getMessage().contains("'Splitter'"), e.getMessage());
        assertTrue(e.getMessage().contains(".returns("), e.getMessage());
        // the same job with the type declared builds
        StreamEnvironment fixed = StreamEnvironment.create();
        fixed.fromElements("a b", "c")
                .flatMap((String line, Collector<String> out) -> out.collect(line)).name("Splitter").returns(Types.STRING)
                .sinkTo(new CollectSink<>());
        assertInstanceOf(JobGraph.class, fixed.buildJobGraph("typed"));
    }

    private static void assertNoSluiceThreadStarted(String jobName) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertTrue(!t.getName().startsWith("sluice " + jobName), "thread started for a job that could not start: " + t);
        }
    }
}
