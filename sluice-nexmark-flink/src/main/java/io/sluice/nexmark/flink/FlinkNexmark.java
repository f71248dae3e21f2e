package io.sluice.nexmark.flink;

import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.run.ResultCounter;
import io.sluice.nexmark.run.RunClock;
import io.sluice.nexmark.run.RunLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One Nexmark query on Apache Flink in a local MiniCluster in this JVM, the Flink yardstick of
 * {@code ../shared/BENCHMARKS.md}. Same options as {@code sluice run nexmark}:
 *
 * <pre>
 * FlinkNexmark --query qN --events N [--parallelism P] [--state-backend heap|rocksdb] [--checkpoint-interval 10s]
 *              [--output FILE] [--seed S] [--events-per-second R] [--rocksdb-memory 512m]
 * </pre>
 *
 * and the same last line ({@link RunLine}) with {@code engine=flink}, the JDK and the Flink version appended:
 * {@code NEXMARK engine=flink query=q5 events=... parallelism=... backend=heap checkpoint=none millis=... eps=...
 * results=... digest=... jdk=25.0.3+9-LTS flink=2.3.0}. {@code --rocksdb-memory} is Flink's managed memory per slot
 * (RocksDB's budget), by default 512 MiB: what Sluice's RocksDB backend takes per keyed operator on this kind of
 * machine by its default rule. The time runs from the first event generated ({@link RunClock}, marked by
 * the source's generator function) to the job's end (the return of {@code execute}); results are counted and their
 * digests summed by the sink ({@link ResultSinks}), or with {@code --output} written sorted to FILE.
 *
 * <p>The job ({@link #configuration}): streaming mode; object reuse on (Sluice hands records to chained operators
 * by reference too, so neither engine copies between chained functions); {@code heap} is Flink's {@code hashmap}
 * backend, {@code rocksdb} its RocksDB backend with incremental checkpoints; with an interval, exactly-once aligned
 * checkpoints to a temporary directory (deleted afterwards); {@code pipeline.generic-types} off, so a type without a
 * Flink serializer fails the job instead of falling back to Kryo (none does: the records are POJOs).
 */
public final class FlinkNexmark {
    /** Sluice's RocksDB budget per keyed backend on this kind of machine (its default rule's 512 MiB ceiling). */
    static final String DEFAULT_ROCKSDB_MEMORY = "512m";

    private FlinkNexmark() {}

    /** The command line. */
    public record Options(Query query, long events, int parallelism, String stateBackend, String checkpointInterval,
            Path output, long seed, long eventsPerSecond, String rocksdbMemory, int taskManagers) {

        public static final String USAGE = "usage: FlinkNexmark --query qN --events N [--parallelism P] "
                + "[--state-backend heap|rocksdb] [--checkpoint-interval D (e.g. 10s)] [--output FILE] [--seed S] "
                + "[--events-per-second R] [--rocksdb-memory SIZE (per slot, default " + DEFAULT_ROCKSDB_MEMORY + ")] "
                + "[--task-managers N (default 1)]";

        public static Options parse(String... args) {
            Query query = null;
            Long events = null;
            int parallelism = Runtime.getRuntime().availableProcessors();
            String backend = "heap";
            String interval = null;
            Path output = null;
            long seed = 1;
            long eventsPerSecond = 10_000;
            String rocksdbMemory = DEFAULT_ROCKSDB_MEMORY;
            int taskManagers = 1;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value of " + name + "\n" + USAGE);
                }
                String value = args[++i];
                switch (name) {
                    case "--query" -> query = Query.parse(value);
                    case "--events" -> events = Long.parseLong(value);
                    case "--parallelism" -> parallelism = Integer.parseInt(value);
                    case "--state-backend" -> backend = value;
                    case "--checkpoint-interval" -> interval = value;
                    case "--output" -> output = Path.of(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--events-per-second" -> eventsPerSecond = Long.parseLong(value);
                    case "--rocksdb-memory" -> rocksdbMemory = value;
                    case "--task-managers" -> taskManagers = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
                }
            }
            if (query == null || events == null) {
                throw new IllegalArgumentException("--query and --events are required\n" + USAGE);
            }
            if (events < 0) {
                throw new IllegalArgumentException("--events must not be negative, was " + events);
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("--parallelism must be at least 1, was " + parallelism);
            }
            if (!backend.equals("heap") && !backend.equals("rocksdb")) {
                throw new IllegalArgumentException("--state-backend must be heap or rocksdb, was '" + backend + "'");
            }
            if (interval != null) {
                parseDuration(interval);
            }
            if (eventsPerSecond < 1) {
                throw new IllegalArgumentException("--events-per-second must be positive, was " + eventsPerSecond);
            }
            MemorySize.parse(rocksdbMemory);
            if (taskManagers < 1) {
                throw new IllegalArgumentException("--task-managers must be at least 1, was " + taskManagers);
            }
            return new Options(query, events, parallelism, backend, interval, output, seed, eventsPerSecond, rocksdbMemory,
                    taskManagers);
        }

        /** The generator's configuration: like Sluice's command, the default first event time and disorder. */
        public NexmarkConfig config() {
            NexmarkConfig defaults = NexmarkConfig.of(0);
            return new NexmarkConfig(events, seed, defaults.firstEventTime(), eventsPerSecond, defaults.maxDisorderMillis());
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        RunLine line = run(options);
        System.out.println(line.format() + " jdk=" + Runtime.version() + " flink=" + flinkVersion());
        System.exit(0); // Flink may leave non-daemon threads behind (e.g. RocksDB, netty); the run is over
    }

    /** Runs the query of {@code options} to its end and returns its line (without the JDK). */
    public static RunLine run(Options options) throws Exception {
        Path checkpoints = options.checkpointInterval() == null ? null : Files.createTempDirectory("flink-nexmark-checkpoints");
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(options.parallelism(),
                    configuration(options, checkpoints));
            NexmarkConfig config = options.config();
            DataStream<?> results = FlinkQueries.of(config).query(options.query(), FlinkQueries.source(env, config));
            if (options.output() != null) {
                sink(results, ResultSinks.sortedLines(options.output())).setParallelism(1);
            } else {
                sink(results, ResultSinks.counting());
            }
            RunClock.reset();
            ResultCounter.reset();
            env.execute("nexmark " + options.query().id());
            return RunLine.now("flink", options.query().id(), options.events(), options.parallelism(),
                    options.stateBackend(), options.checkpointInterval() == null ? "none" : options.checkpointInterval());
        } finally {
            if (checkpoints != null) {
                deleteRecursively(checkpoints);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static org.apache.flink.streaming.api.datastream.DataStreamSink<?> sink(DataStream<?> results, Sink<?> sink) {
        return ((DataStream) results).sinkTo((Sink) sink).name("Results").uid("results-sink");
    }

    /**
     * The job's configuration: Flink's defaults but for what the options choose, object reuse, and no Kryo fallback.
     * (Flink's default of checkpoints after tasks finish stays on; it delays a bounded job's end only for sinks with
     * a committer, which these do not have.)
     */
    static Configuration configuration(Options options, Path checkpoints) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false); // every type has Flink's own serializer: fail rather than use Kryo
        boolean rocksdb = options.stateBackend().equals("rocksdb");
        // Several TaskManagers in the MiniCluster: records between them go through Flink's network stack, as between
        // Sluice's workers (each with a share of the slots).
        int slotsPerTaskManager = (options.parallelism() + options.taskManagers() - 1) / options.taskManagers();
        conf.set(TaskManagerOptions.MINI_CLUSTER_NUM_TASK_MANAGERS, options.taskManagers());
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slotsPerTaskManager);
        conf.set(StateBackendOptions.STATE_BACKEND, rocksdb ? "rocksdb" : "hashmap");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true); // RocksDB; the hashmap backend ignores it
        if (rocksdb) {
            MemorySize perSlot = MemorySize.parse(options.rocksdbMemory());
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, perSlot.multiply(slotsPerTaskManager));
        }
        if (options.checkpointInterval() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, parseDuration(options.checkpointInterval()));
            conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
            conf.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        }
        return conf;
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), text);
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return positive(switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            }, text);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a duration (like 500ms, 10s, 2m): '" + text + "'");
        }
    }

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration must be positive: '" + text + "'");
        }
        return d;
    }

    /** The Flink version on the classpath. */
    static String flinkVersion() {
        return EnvironmentInformation.getVersion();
    }

    /**
     * Deletes the run's checkpoint directory. Flink may still be discarding subsumed checkpoints in the background when
     * the job has ended, so a directory can vanish under the walk: retried, and a failure to clean a temporary
     * directory is reported on stderr rather than failing a run that has completed.
     */
    private static void deleteRecursively(Path dir) {
        Exception last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (IOException | UncheckedIOException e) {
                last = e; // a file vanished under the walk: walk again
            }
            try {
                Thread.sleep(200); // let Flink's background discard finish
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        System.err.println("flink-nexmark: could not delete " + dir + ": " + last);
    }
}
