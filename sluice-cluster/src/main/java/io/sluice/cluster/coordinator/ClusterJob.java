package io.sluice.cluster.coordinator;

import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.execution.JobExecutor;
import io.sluice.api.execution.JobProgress;
import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.OperatorMetrics;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.graph.JobGraph;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import io.sluice.cluster.protocol.JobMessages.OperatorCount;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.recovery.RestartDecider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One submitted job on the coordinator: what defines it (its {@code run} arguments and jars), the graph its main
 * built, and where its current attempt runs. Its fields are guarded by the {@link Jobs} table's lock; {@link Jobs}
 * makes every transition. To the job's main it is the {@link JobClient} its {@code execute} returned.
 */
final class ClusterJob implements JobClient {

    /** Where a job is in its life. */
    enum State { CREATED, WAITING, RUNNING, RESTARTING, FINISHED, FAILED, CANCELLED;

        boolean isFinal() {
            return this == FINISHED || this == FAILED || this == CANCELLED;
        }
    }

    final String id;
    /**
     * Whether the job's attempts run whole on one worker each ({@code --placement job}), followed through that
     * worker's events; else they are spread over the workers' slots under a supervisor here, which alone ends them.
     */
    final boolean whole;
    final List<String> argv;
    final List<String> jars;
    private final Jobs table;
    final CompletableFuture<JobResult> outcome = new CompletableFuture<>();
    final long submittedNanos = System.nanoTime();

    // Guarded by the table's lock.
    /** The job's name, once its main submitted its graph. */
    String jobName = "";
    /** The graph its main submitted, serialized; dropped when the job ends. */
    byte[] graphBytes;
    SubmitOptions options;
    int slots;
    RestartDecider decider;
    /** The job's checkpoint directory, or {@code null} without checkpoints. */
    Path checkpointDir;
    /** Checkpoints with ids up to this one were in {@link #checkpointDir} before the job started: not its own. */
    long checkpointIdBeforeStart = -1;
    State state = State.CREATED;
    int attempt = -1;
    String worker = "";
    /**
     * The attempts this coordinator restarted: a spread job's supervisor's restarts, a whole job's restarts after the
     * loss of its worker ({@link #restarts()} adds its workers' own).
     */
    int attemptRestarts;
    String failure = "";
    long waitingSinceMillis;
    /**
     * The job was asked to end: cancelled, or being stopped with a savepoint (a failed stop resets it). A job asked to
     * end is not shown restarting, and one that fails ends CANCELLED.
     */
    boolean cancelRequested;
    /**
     * A client cancelled the job (never reset; a stop with a savepoint sets only {@link #cancelRequested}): a spread
     * job's attempt that is being deployed, the first one or a restart's, is aborted at once.
     */
    boolean cancelled;
    long durationMillis;
    /** A spread job's supervisor on this coordinator ({@code null} for whole attempts on one worker). */
    volatile JobClient supervisor;
    /** What a spread job's supervisor showed as it ended ({@code null} before, and for whole attempts). */
    volatile EndedJobView ended;
    /** A spread job's current attempt, where its workers' messages go. */
    volatile RemoteAttempt remote;
    /**
     * What a job placed whole on one worker shows, as its workers report it ({@code null} for spread jobs and before
     * the main submitted the graph); plain values, kept once the job ended.
     */
    volatile ReportedJobView reported;
    List<OperatorCount> operators = List.of();

    ClusterJob(String id, boolean whole, List<String> argv, List<String> jars, Jobs table) {
        this.id = id;
        this.whole = whole;
        this.argv = List.copyOf(argv);
        this.jars = List.copyOf(jars);
        this.table = table;
    }

    /** Where the job's main submits its graph: the first graph becomes this job; a second one is refused. */
    JobExecutor executor() {
        return new JobExecutor() {
            @Override
            public JobClient submit(JobGraph graph) throws JobExecutionException {
                return submit(graph, SubmitOptions.fresh());
            }

            @Override
            public JobClient submit(JobGraph graph, SubmitOptions options) throws JobExecutionException {
                table.start(ClusterJob.this, graph, options);
                return ClusterJob.this;
            }
        };
    }

    /** The job as clients see it. Call under the table's lock. */
    JobInfo info() {
        return new JobInfo(id, jobName, state.name(), worker, restarts(), failure, durationMillis,
                operators, slots);
    }

    /**
     * The job's restarts as clients see them: {@link #attemptRestarts}, plus, for a job placed whole on a worker, the
     * restarts its attempts' embedded supervisors made after task failures, as their workers reported them. Call under
     * the table's lock.
     */
    int restarts() {
        ReportedJobView r = reported;
        return attemptRestarts + (r == null ? 0 : r.restarts());
    }

    String name() {
        return jobName.isEmpty() ? "(main of " + id + ")" : "'" + jobName + "'";
    }

    @Override
    public JobProgress progress() {
        return new JobProgress(jobName.isEmpty() ? id : jobName, Duration.ofNanos(System.nanoTime() - submittedNanos),
                List.of());
    }

    @Override
    public JobResult await() throws JobExecutionException, InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof JobExecutionException j ? j
                    : new JobExecutionException("Job " + id + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void cancel() {
        table.cancel(id);
    }

    @Override
    public String triggerSavepoint(String directory) throws JobExecutionException, InterruptedException {
        return table.savepoint(id, directory, false);
    }

    @Override
    public String stopWithSavepoint(String directory) throws JobExecutionException, InterruptedException {
        return table.savepoint(id, directory, true);
    }

    /**
     * The state the job's next attempt starts from: its newest own completed checkpoint (one taken since it started),
     * else what it was started from ({@code ""}: nothing). Call under the table's lock.
     */
    String restorePath() throws IOException {
        if (checkpointDir != null && attempt >= 0) {
            OptionalLong latest = latestCompleted(checkpointDir);
            if (latest.isPresent() && latest.getAsLong() > checkpointIdBeforeStart) {
                return new FileSystemCheckpointStorage(checkpointDir).checkpointDirectory(latest.getAsLong()).toString();
            }
        }
        return options.restorePath() == null ? "" : options.restorePath();
    }

    /** The id of the newest completed checkpoint in {@code dir}, empty if none (or no such directory). */
    static OptionalLong latestCompleted(Path dir) throws IOException {
        return Files.isDirectory(dir) ? new FileSystemCheckpointStorage(dir).latestCompletedId() : OptionalLong.empty();
    }

    /** Forgets what refers to the job's classes (its serialized graph): it ended. */
    void release() {
        graphBytes = null;
        supervisor = null;
        remote = null;
        decider = null;
    }

    /** The result a worker reported, as the API's {@link JobResult}. */
    JobResult result() {
        return new JobResult(jobName, Duration.ofMillis(durationMillis),
                operators.stream().map(o -> new OperatorMetrics(o.nodeId(), o.name(), o.recordsIn(), o.recordsOut())).toList(),
                List.of());
    }
}
