package io.sluice.api;

import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.execution.JobResult;
import io.sluice.api.graph.RestartStrategy;
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
 * {@link #execute}. By default the job runs on the embedded local cluster in this JVM, one thread per parallel task,
 * with parallelism equal to the number of cores; run by {@code bin/sluice run}, it starts from the command line's
 * options instead ({@link EnvironmentContext}). Reads no system property: whatever it starts from is handed to it.
 *
 * <p>Not thread-safe: define a job from one thread.
 */
public final class StreamEnvironment {

    private final GraphBuilder graph = new GraphBuilder();
    private int parallelism;
    private JobConfig config;
    private CheckpointConfig checkpointing;
    private RestartStrategy restartStrategy = RestartStrategy.none();
    private boolean restartStrategySet;
    private SubmitOptions submitOptions;
    /** Who runs the jobs; {@code null}: the runtime found on the classpath. */
    private JobExecutor executor;

    private StreamEnvironment(EnvironmentSettings settings) {
        parallelism = settings.parallelism();
        config = settings.config();
        submitOptions = settings.submitOptions();
        executor = settings.executor();
        if (settings.restartStrategy() != null) {
            setRestartStrategy(settings.restartStrategy());
        }
        if (settings.checkpointing() != null) {
            enableCheckpointing(settings.checkpointing()); // as if the program had: the default restart strategy too
        }
    }

    /**
     * An environment for this program: started from the settings of the launcher running it ({@code bin/sluice run},
     * through {@link EnvironmentContext}), else from {@link EnvironmentSettings#defaults()}: parallelism equal to the
     * number of cores, no checkpoints, jobs run on the embedded local cluster.
     */
    public static StreamEnvironment create() {
        return create(EnvironmentContext.current());
    }

    /** An environment started from {@code settings}, whatever launcher runs the program. */
    public static StreamEnvironment create(EnvironmentSettings settings) {
        return new StreamEnvironment(java.util.Objects.requireNonNull(settings, "settings"));
    }

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
        submitOptions = submitOptions.withRestorePath(checkpointPath);
        return this;
    }

    /**
     * Whether state of the checkpoint resumed from that matches no operator (by uid) may be dropped (default: no, the
     * start fails naming the uid).
     */
    public StreamEnvironment setAllowNonRestoredState(boolean allow) {
        submitOptions = submitOptions.withAllowNonRestoredState(allow);
        return this;
    }

    /** The checkpoint the job resumes from, or {@code null}. */
    public String restorePath() {
        return submitOptions.restorePath();
    }

    /** How this environment's jobs are started: the checkpoint resumed from, unmatched state, progress lines. */
    public SubmitOptions getSubmitOptions() {
        return submitOptions;
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
        return (executor != null ? executor : discoverExecutor()).submit(buildJobGraph(jobName), submitOptions);
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
