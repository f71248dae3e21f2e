package io.sluice.cli;

import io.sluice.api.DataStream;
import io.sluice.api.functions.OutputTag;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.ProcessFunction;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.examples.WordCount;
import io.sluice.examples.Words;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: a short showcase that checks its own results, on the embedded cluster (parts 1-3) and on a local
 * cluster of processes with a worker killed (part 4, {@link ClusterDemo}).
 */
@Command(name = "demo", description = "Runs a short showcase on the embedded local cluster, then on a local cluster of "
        + "processes with a worker killed, and says what it shows.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        if (parallelism < 1) {
            throw new ParameterException(spec.commandLine(), "--parallelism must be at least 1, was " + parallelism);
        }
        Path dir = Files.createTempDirectory("sluice-demo");
        try {
            boolean ok = wordCount(dir) & pipeline() & exactlyOnce(dir) & cluster(dir);
            System.out.println(ok ? "\nDemo passed: every result above equals a plain Java computation."
                    : "\nDemo FAILED: a result differs from the plain Java computation.");
            return ok ? 0 : 1;
        } finally {
            deleteTree(dir);
        }
    }

    private boolean wordCount(Path dir) throws Exception {
        System.out.println("== 1. Word count over files read in parallel ==");
        System.out.println("Writes 4 text files (seeded random words), reads them as byte ranges in parallel, splits words,");
        System.out.println("partitions by word (keyBy: key groups), counts in keyed state, and writes each word's final count");
        System.out.println("when the bounded input ends (an event-time timer fired by the final watermark).\n");
        Path input = Files.createDirectories(dir.resolve("input"));
        Map<String, Long> expected = writeCorpus(input, 4, 50_000);
        Path output = dir.resolve("counts.tsv");
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        WordCount.define(env, input.toString(), output.toString());
        JobResult result = env.execute("wordcount");
        System.out.println(JobSummary.format(result));
        Map<String, Long> actual = new HashMap<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t");
            actual.put(parts[0], Long.parseLong(parts[1]));
        }
        System.out.println("Top words: " + actual.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(5).map(e -> e.getKey() + "=" + e.getValue()).toList());
        boolean ok = actual.equals(expected);
        System.out.printf("%d distinct words; counts %s a plain Java count.%n%n", actual.size(), ok ? "equal" : "DIFFER FROM");
        return ok;
    }

    private boolean pipeline() throws Exception {
        System.out.println("== 2. A parallel pipeline: side outputs, union, keyed reduce ==");
        System.out.println("Generates 1..3,000,000; a process function sends multiples of 1,000 to a side output;");
        System.out.println("the rest and the side output are unioned, keyed by n % 8 and summed with a running reduce.");
        System.out.println("Operators of equal parallelism are chained (direct calls); keyBy crosses bounded channels.\n");
        long n = 3_000_000;
        OutputTag<Long> milestones = new OutputTag<>("milestones", Types.LONG);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        DataStream<Long> numbers = env.generateSequence(1, n).name("Numbers");
        DataStream<Long> regular = numbers.process((Long v, ProcessFunction.Context ctx, io.sluice.api.functions.Collector<Long> out) -> {
            if (v % 1000 == 0) {
                ctx.output(milestones, v);
            } else {
                out.collect(v);
            }
        }, Types.LONG).name("Route");
        CollectSink<KeyedSum> sums = new CollectSink<>();
        regular.union(regular.getSideOutput(milestones).map(v -> v).name("Milestones"))
                .map(v -> new KeyedSum(v % 8, v)).name("Pair")
                .keyBy(KeyedSum::key)
                .reduce((a, b) -> new KeyedSum(a.key(), a.sum() + b.sum())).name("Sum per key")
                .sinkTo(sums).name("Collect");
        JobResult result = env.execute("pipeline");
        System.out.println(JobSummary.format(result));
        Map<Long, Long> finalSums = new HashMap<>();
        for (KeyedSum s : sums.results()) {
            finalSums.merge(s.key(), s.sum(), Math::max); // running sums only grow: the largest is the final one
        }
        sums.clear();
        long total = finalSums.values().stream().mapToLong(Long::longValue).sum();
        long expected = n * (n + 1) / 2;
        long milestoneCount = result.operator("Milestones").recordsIn();
        boolean ok = total == expected && milestoneCount == n / 1000;
        System.out.printf("Sum of the final per-key sums: %,d (expected %,d); side output records: %,d (expected %,d).%n",
                total, expected, milestoneCount, n / 1000);
        double seconds = result.duration().toNanos() / 1e9;
        System.out.printf("Throughput: %,.0f records/s at parallelism %d.%n", n / seconds, parallelism);
        return ok;
    }

    /** A running sum of one key. */
    record KeyedSum(long key, long sum) {}

    /** Failures still to inject in the exactly-once part (static: survives the restarts, which copy functions anew). */
    static final java.util.concurrent.atomic.AtomicInteger FAILURES_LEFT = new java.util.concurrent.atomic.AtomicInteger();

    /** Throws on every 40,000th word while failures are left to inject. */
    static final class InjectFailures implements io.sluice.api.functions.MapFunction<String, String> {
        private long seen;

        @Override
        public String map(String word) {
            if (++seen % 40_000 == 0 && FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("injected failure");
            }
            return word;
        }
    }

    private boolean exactlyOnce(Path dir) throws Exception {
        System.out.println("== 3. Exactly-once output across failures ==");
        System.out.println("Running word counts (word<TAB>n for each occurrence) into a transactional file sink, with");
        System.out.println("checkpoints every 100 ms; a function throws 3 times. Each failure restarts the job from the");
        System.out.println("latest completed checkpoint; the sink commits only what a completed checkpoint covers.\n");
        Path input = dir.resolve("input");
        Path output = dir.resolve("committed");
        FAILURES_LEFT.set(3);
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism)
                .enableCheckpointing(io.sluice.api.graph.CheckpointConfig.every(java.time.Duration.ofMillis(100))
                        .withDirectory(dir.resolve("checkpoints").toString()))
                .setRestartStrategy(io.sluice.api.graph.RestartStrategy.fixedDelay(10, java.time.Duration.ofMillis(50)));
        env.fromSource(io.sluice.examples.RateLimitedSource.of(new io.sluice.connectors.file.TextFileSource(input.toString()), 150_000),
                        "Read").uid("read")
                .flatMap(Words::split, Types.STRING).name("Split words").uid("split")
                .map(new InjectFailures()).name("Inject failures").uid("inject")
                .keyBy(w -> w, Types.STRING)
                .map(new RunningCount()).name("Count").uid("count")
                .sinkTo(new io.sluice.connectors.file.TransactionalFileSink<>(output.toString())).name("Commit").uid("commit");
        JobResult result = env.execute("exactly-once counts");
        System.out.println(JobSummary.format(result));
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("input").resolve("part-0.txt"))) {
            Words.split(line, w -> counts.merge(w, 1L, Long::sum));
        }
        for (int f = 1; f < 4; f++) {
            for (String line : Files.readAllLines(dir.resolve("input").resolve("part-" + f + ".txt"))) {
                Words.split(line, w -> counts.merge(w, 1L, Long::sum));
            }
        }
        java.util.Set<String> expected = new java.util.HashSet<>();
        counts.forEach((w, n) -> {
            for (long i = 1; i <= n; i++) {
                expected.add(w + "\t" + i);
            }
        });
        List<String> committed = io.sluice.connectors.file.TransactionalFileSink.readCommitted(output);
        boolean ok = committed.size() == expected.size() && new java.util.HashSet<>(committed).equals(expected);
        System.out.printf("Failures injected: %d; committed lines: %,d; expected (each word's 1..N once): %,d; %s.%n%n",
                3 - FAILURES_LEFT.get(), committed.size(), expected.size(), ok ? "exactly once" : "MISMATCH");
        return ok && FAILURES_LEFT.get() == 0;
    }

    /** Part 4: the running counts on a local cluster of processes, a worker killed (ClusterDemo). */
    private boolean cluster(Path dir) throws Exception {
        Path input = dir.resolve("cluster-input.txt");
        Map<String, Long> counts = ClusterDemo.writeInput(input,
                Files.readAllLines(dir.resolve("input").resolve("part-0.txt"), StandardCharsets.UTF_8));
        return ClusterDemo.run(dir, counts, input, parallelism);
    }

    /** The running count of each word, in keyed state. */
    static final class RunningCount implements io.sluice.api.functions.MapFunction<String, String> {
        private transient io.sluice.api.state.ValueState<Long> count;

        @Override
        public void open(io.sluice.api.functions.RuntimeContext context) {
            count = context.getState(new io.sluice.api.state.ValueStateDescriptor<>("count", Types.LONG, 0L));
        }

        @Override
        public String map(String word) {
            long n = count.value() + 1;
            count.update(n);
            return word + "\t" + n;
        }
    }

    private static Map<String, Long> writeCorpus(Path dir, int files, int linesPerFile) throws IOException {
        String[] vocabulary = vocabulary(2000);
        Random random = new Random(42);
        Map<String, Long> counts = new HashMap<>();
        for (int f = 0; f < files; f++) {
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("part-" + f + ".txt"), StandardCharsets.UTF_8)) {
                for (int l = 0; l < linesPerFile; l++) {
                    StringBuilder line = new StringBuilder();
                    int words = 1 + random.nextInt(12);
                    for (int i = 0; i < words; i++) {
                        // Zipf-like: low indices are far more frequent, as in real text.
                        String word = vocabulary[(int) (vocabulary.length * Math.pow(random.nextDouble(), 3))];
                        line.append(i == 0 ? "" : random.nextBoolean() ? " " : ", ").append(word);
                    }
                    w.write(line.toString());
                    w.newLine();
                    Words.split(line.toString(), word -> counts.merge(word, 1L, Long::sum));
                }
            }
        }
        return counts;
    }

    private static String[] vocabulary(int size) {
        String[] syllables = {"ka", "lo", "mi", "su", "re", "na", "to", "vi", "de", "ru", "Ström", "éa"};
        Random random = new Random(7);
        String[] words = new String[size];
        for (int i = 0; i < size; i++) {
            StringBuilder w = new StringBuilder();
            int parts = 1 + random.nextInt(3);
            for (int p = 0; p < parts; p++) {
                w.append(syllables[random.nextInt(syllables.length)]);
            }
            words[i] = w.toString() + (i % 10 == 0 ? "" : Integer.toString(i % 7));
        }
        return words;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
