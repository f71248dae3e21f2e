package io.sluice.api;

import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.RestartStrategy;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.graph.OperatorSpec;
import io.sluice.api.source.CollectionSource;
import io.sluice.api.source.SequenceSource;
import io.sluice.api.source.Source;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Where a job is defined and started. Build streams from sources, transform them, end them in sinks, then
 * {@link #execute}. By default the job runs on the embedded local cluster in this JVM, one thread per
 * parallel task, with parallelism equal to the number of cores.
 *
 * <p>Not thread-safe: define a job from one thread.
 */
public final class StreamEnvironment {

    private final GraphBuilder graph = new GraphBuilder();
    /** System property giving the default parallelism (the CLI's {@code --parallelism} sets it). */
    public static final String PARALLELISM_PROPERTY = "sluice.parallelism";

    private int parallelism = Integer.getInteger(PARALLELISM_PROPERTY, Runtime.getRuntime().availableProcessors());
    private JobConfig config = JobConfig.defaults();
    private CheckpointConfig checkpointing;
    private RestartStrategy restartStrategy = RestartStrategy.none();
    private boolean restartStrategySet;
    private String restorePath;
    /** Who runs the jobs; {@code null}: the runtime found on the classpath. */
    private JobExecutor executor;
    private boolean allowNonRestoredState = Boolean.getBoolean(ALLOW_NON_RESTORED_STATE_PROPERTY);

    private StreamEnvironment() {}

    /**
     * An environment that runs jobs on the embedded local cluster. Its parallelism is the system property
     * {@value #PARALLELISM_PROPERTY} if set, else the number of cores.
     */
    public static StreamEnvironment create() {
        StreamEnvironment env = new StreamEnvironment();
        // The CLI's checkpoint options reach built-in and main-class jobs alike through these properties.
        Long interval = Long.getLong(CHECKPOINT_INTERVAL_PROPERTY);
        if (interval != null && interval > 0) {
            CheckpointConfig checkpoints = CheckpointConfig.every(java.time.Duration.ofMillis(interval))
                    .withDirectory(System.getProperty(CHECKPOINT_DIR_PROPERTY))
                    .withMode("at-least-once".equals(System.getProperty(CHECKPOINT_MODE_PROPERTY))
                            ? CheckpointConfig.Mode.AT_LEAST_ONCE : CheckpointConfig.Mode.EXACTLY_ONCE);
            Integer retained = Integer.getInteger(CHECKPOINT_RETAINED_PROPERTY);
            if (retained != null) {
                checkpoints = checkpoints.withRetained(retained);
            }
            env.enableCheckpointing(checkpoints);
        }
        env.restorePath = System.getProperty(RESTORE_PROPERTY);
        String backend = System.getProperty(STATE_BACKEND_PROPERTY);
        if (backend != null) {
            env.setStateBackend(backend);
        }
        String options = System.getProperty(STATE_OPTIONS_PROPERTY);
        if (options != null) {
            for (String option : options.split("\n")) {
                int eq = option.indexOf('=');
                if (eq > 0) {
                    env.setStateBackendOption(option.substring(0, eq), option.substring(eq + 1));
                }
            }
        }
        return env;
    }

    /** System property: how many completed checkpoints are kept (the CLI's {@code --checkpoint-retention}). */
    public static final String CHECKPOINT_RETAINED_PROPERTY = "sluice.checkpoint.retained";
    /** System property: state backend options as {@code key=value} lines (the CLI's {@code --state-option}). */
    public static final String STATE_OPTIONS_PROPERTY = "sluice.state.options";

    /** System property: checkpoint interval in milliseconds (the CLI's {@code --checkpoint-interval}). */
    public static final String CHECKPOINT_INTERVAL_PROPERTY = "sluice.checkpoint.intervalMillis";
    /** System property: the keyed state backend ({@code --state-backend heap|rocksdb}). */
    public static final String STATE_BACKEND_PROPERTY = "sluice.state.backend";
    /** System property: checkpoint directory ({@code --checkpoint-dir}). */
    public static final String CHECKPOINT_DIR_PROPERTY = "sluice.checkpoint.dir";
    /** System property: {@code exactly-once} or {@code at-least-once} ({@code --mode}). */
    public static final String CHECKPOINT_MODE_PROPERTY = "sluice.checkpoint.mode";
    /** System property: allow dropping unmatched state ({@code --allow-non-restored-state}). */
    public static final String ALLOW_NON_RESTORED_STATE_PROPERTY = "sluice.allowNonRestoredState";
    /** System property: a checkpoint to resume from ({@code --from-checkpoint}). */
    public static final String RESTORE_PROPERTY = "sluice.restore";

    /** The parallelism of operators that set none. */
    public StreamEnvironment setParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.parallelism = parallelism;
        return this;
    }

    public int getParallelism() {
        return parallelism;
    }

    /** The number of key groups: the most subtasks any keyed operator can ever be rescaled to (default 128). */
    public StreamEnvironment setMaxParallelism(int maxParallelism) {
        config = config.withMaxParallelism(maxParallelism);
        return this;
    }

    /** Where keyed state lives: {@code "heap"} (default) or {@code "rocksdb"} (state larger than memory). */
    public StreamEnvironment setStateBackend(String name) {
        config = config.withStateBackend(java.util.Objects.requireNonNull(name, "name"));
        return this;
    }

    /**
     * Sets an option of the state backend, e.g. {@code ("rocksdb.memory", "256mb")} or
     * {@code ("rocksdb.incremental", "false")}; the user guide lists them. Unknown keys fail when the job starts.
     */
    public StreamEnvironment setStateBackendOption(String key, String value) {
        config = config.withStateBackendOption(key, value);
        return this;
    }

    /** Replaces the job's settings (key groups, watermark interval, state backend and its options). */
    public StreamEnvironment setConfig(JobConfig config) {
        this.config = config;
        return this;
    }

    public JobConfig getConfig() {
        return config;
    }

    /** A bounded stream of the given elements; the type is that of the first element's class. */
    @SafeVarargs
    public final <T> DataStream<T> fromElements(T... elements) {
        if (elements.length == 0) {
            throw new IllegalArgumentException("fromElements needs at least one element; use fromCollection(values, type)");
        }
        @SuppressWarnings("unchecked")
        TypeSerializer<T> type = (TypeSerializer<T>) Types.of(elements[0].getClass());
        return fromCollection(Arrays.asList(elements), type);
    }

    /** A bounded stream of the given elements, of the given type. */
    public <T> DataStream<T> fromCollection(Collection<? extends T> elements, TypeSerializer<T> type) {
        return fromSource(new CollectionSource<>(elements, type), "Elements");
    }

    /** The numbers {@code from..to} (inclusive), as fast as the job can take them. */
    public DataStream<Long> generateSequence(long from, long to) {
        return generateSequence(from, to, 0);
    }

    /** The numbers {@code from..to} (inclusive), at most {@code recordsPerSecond} over all subtasks. */
    public DataStream<Long> generateSequence(long from, long to, double recordsPerSecond) {
        return fromSource(new SequenceSource(from, to, recordsPerSecond), "Sequence");
    }

    /** A stream read by {@code source}, without watermarks (only the final one when a bounded source ends). */
    public <T> DataStream<T> fromSource(Source<T, ?> source, String name) {
        return fromSource(source, WatermarkStrategy.noWatermarks(), name);
    }

    /**
     * A stream read by {@code source}, with timestamps and watermarks from {@code watermarkStrategy}. Watermarks are
     * generated per split (for readers that emit through {@code SourceOutput.forSplit}); a subtask's watermark is the
     * minimum over its active splits, and a subtask with no split, or only idle ones, is idle.
     */
    public <T> DataStream<T> fromSource(Source<T, ?> source, WatermarkStrategy<T> watermarkStrategy, String name) {
        java.util.Objects.requireNonNull(watermarkStrategy, "watermarkStrategy");
        int id = graph.addNode(name, parallelism, new OperatorSpec.SourceSpec(source, watermarkStrategy),
                source.outputType(), null);
        return new DataStream<>(this, Upstream.main(id), source.outputType());
    }

    GraphBuilder graph() {
        return graph;
    }

    /** Builds and validates the job graph: errors in the job's definition (types, parallelism) are thrown here. */
    public JobGraph buildJobGraph(String jobName) {
        return graph.build(jobName, config, checkpointing, restartStrategy);
    }

    /**
     * Takes checkpoints as {@code checkpoints} says: the job's state is snapshotted consistently (barriers) and, after
     * a failure, restored from the latest completed checkpoint, if the restart strategy allows a restart (with
     * checkpointing on and no strategy set: fixed delay, 3 attempts, 1 s apart).
     */
    public StreamEnvironment enableCheckpointing(CheckpointConfig checkpoints) {
        this.checkpointing = java.util.Objects.requireNonNull(checkpoints, "checkpoints");
        if (!restartStrategySet) {
            restartStrategy = RestartStrategy.fixedDelay(3, java.time.Duration.ofSeconds(1));
        }
        return this;
    }

    /** What happens when the job fails (default: no restart; with checkpointing: fixed delay, 3 attempts). */
    public StreamEnvironment setRestartStrategy(RestartStrategy strategy) {
        this.restartStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
        this.restartStrategySet = true;
        return this;
    }

    /** Resumes the job's state from a retained checkpoint or savepoint directory (or its metadata file). */
    public StreamEnvironment restoreFrom(String checkpointPath) {
        this.restorePath = checkpointPath;
        return this;
    }

    /**
     * Whether state of the checkpoint resumed from that matches no operator (by uid) may be dropped (default: no, the
     * start fails naming the uid).
     */
    public StreamEnvironment setAllowNonRestoredState(boolean allow) {
        this.allowNonRestoredState = allow;
        return this;
    }

    /** The checkpoint the job resumes from, or {@code null}. */
    public String restorePath() {
        return restorePath;
    }

    /**
     * Runs this environment's jobs on {@code executor} instead of the runtime found on the classpath: for instance the
     * embedded cluster with other engine settings, {@code new LocalExecutor(EngineConfig.defaults().withBatchSize(64))}.
     */
    public StreamEnvironment setExecutor(JobExecutor executor) {
        this.executor = java.util.Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** Starts the job and returns at once. */
    public JobClient executeAsync(String jobName) throws JobExecutionException {
        return (executor != null ? executor : discoverExecutor()).submit(buildJobGraph(jobName), new SubmitOptions(restorePath, allowNonRestoredState,
                java.time.Duration.ofMillis(Long.getLong("sluice.progress.intervalMillis", 0L))));
    }

    /** Runs the job until every source has ended and every record is processed. */
    public JobResult execute(String jobName) throws JobExecutionException, InterruptedException {
        return executeAsync(jobName).await();
    }

    private static JobExecutor discoverExecutor() {
        Iterator<JobExecutor> found = ServiceLoader.load(JobExecutor.class).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("No Sluice runtime on the classpath: add the dependency io.sluice:sluice-runtime");
        }
        return found.next();
    }
}
