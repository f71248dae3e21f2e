package io.sluice.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobExecutionException;
import io.sluice.api.graph.CheckpointConfig;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.SumPerKey;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.CompletedCheckpoint;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.plan.ChainPlanner;
import io.sluice.runtime.plan.ExecutionPlanner;
import io.sluice.runtime.channel.Cancellation;
import io.sluice.runtime.task.Task;
import io.sluice.runtime.task.TaskListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint this execution took holds every operator (each subtask acknowledged or finished): one with no state of
 * a keyed operator at all is lost state, and the restore fails naming checkpoint and operator. It used to return
 * before any check and restore that operator's key groups empty. A checkpoint a user resumes from may lack operators
 * they added since, so there the same checkpoint still restores.
 */
class StrictRestoreTest {
    @TempDir
    Path dir;

    private static StreamEnvironment job(CollectSink<String> sink) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(2);
        env.generateSequence(1, 200_000, 100_000).uid("numbers")
                .keyBy(v -> v % 100)
                .process(new SumPerKey(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("collect");
        return env;
    }

    /** A retained checkpoint of a cancelled run, copied without any state file of the keyed operator 'sum'. */
    private CompletedCheckpoint checkpointWithoutTheKeyedOperator() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        StreamEnvironment env = job(new CollectSink<>());
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(30)).withDirectory(checkpoints.toString())
                .withRetainOnCancel(true));
        JobClient client = env.executeAsync("to be cancelled");
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(checkpoints);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (storage.completedCheckpointIds().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        client.cancel();
        assertThrows(JobExecutionException.class, client::await);
        CompletedCheckpoint full = FileSystemCheckpointStorage.openPath(
                storage.checkpointDirectory(storage.latestCompletedId().orElseThrow()));
        FileSystemCheckpointStorage partial = new FileSystemCheckpointStorage(dir.resolve("partial"));
        int dropped = 0;
        try (CheckpointWriter writer = partial.begin(full.checkpointId())) {
            for (StateFileHandle f : full.files()) {
                if (f.name().startsWith("op-sum")) {
                    dropped++;
                    continue;
                }
                writer.writeFile(f.name(), full.readFile(f));
            }
            writer.complete(full.payload());
        }
        assertTrue(dropped == 2, "the checkpoint held both subtasks of 'sum': " + full.files());
        return FileSystemCheckpointStorage.openPath(partial.checkpointDirectory(full.checkpointId()));
    }

    private static void createTasks(JobGraph graph, RestoredState restored) throws Exception {
        JobMetrics metrics = new JobMetrics(graph);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        TaskListener listener = new TaskListener() {
            @Override
            public void onFailure(Task task, Throwable failure) {}

            @Override
            public void onTerminated(Task task) {}
        };
        SourceReaders noEnumerators = new SourceReaders() { // the tasks are built, never started
            @Override
            public io.sluice.runtime.source.SplitRequests requests(String uid) {
                return new io.sluice.runtime.source.SplitRequests() {
                    @Override
                    public void registerReader(int subtask) {}

                    @Override
                    public void requestSplit(int subtask) {}
                };
            }

            @Override
            public void connect(String uid, int subtask, io.sluice.runtime.source.ReaderGateway gateway) {}
        };
        try {
            TaskFactory factory = new TaskFactory(ExecutionPlanner.plan(graph, ChainPlanner.plan(graph), 0, restored),
                    new Cancellation(), listener, metrics, timers, (uid, subtask) -> null, new NoCheckpoints(), Runnable::run,
                    noEnumerators, ChannelProvider.IN_PROCESS, io.sluice.runtime.config.EngineConfig.defaults());
            factory.prepare();
            factory.createTasks();
        } finally {
            timers.shutdownNow();
        }
    }

    /** A responder for tasks that never take a checkpoint here. */
    private static final class NoCheckpoints implements io.sluice.runtime.checkpoint.CheckpointResponder {
        @Override
        public java.util.Optional<io.sluice.runtime.checkpoint.storage.CheckpointWriter> writer(long checkpointId) {
            return java.util.Optional.empty();
        }

        @Override
        public void acknowledge(io.sluice.runtime.checkpoint.TaskKey task, long checkpointId,
                java.util.List<StateFileHandle> files, long alignmentMillis) {
            throw new AssertionError("no checkpoint is taken");
        }

        @Override
        public void decline(io.sluice.runtime.checkpoint.TaskKey task, long checkpointId, String reason) {
            throw new AssertionError("no checkpoint is taken");
        }
    }

    @Test
    @Timeout(60)
    void aCheckpointOfThisExecutionWithoutAKeyedOperatorFailsTheRestore() throws Exception {
        CompletedCheckpoint partial = checkpointWithoutTheKeyedOperator();
        JobGraph graph = job(new CollectSink<>()).buildJobGraph("restored");
        IOException e = assertThrows(IOException.class,
                () -> createTasks(graph, RestoredState.load(partial).holdingEveryOperator()));
        assertTrue(e.getMessage().contains("checkpoint " + partial.checkpointId() + " holds no state of keyed operator")
                && e.getMessage().contains("(uid sum)"), e.getMessage());
        createTasks(graph, RestoredState.load(partial)); // as a user's starting point: 'sum' may be new
    }
}
