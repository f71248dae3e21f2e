package io.sluice.cluster.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.functions.Collector;
import io.sluice.api.graph.JobGraph;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import io.sluice.runtime.checkpoint.RestoredState;
import io.sluice.runtime.checkpoint.restore.RestoredKeyedState;
import io.sluice.runtime.checkpoint.restore.SubtaskRestore;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.plan.ChainPlanner;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.runtime.plan.ExecutionPlanner;
import io.sluice.runtime.plan.TaskSpec;
import io.sluice.runtime.state.KeyedStateFiles;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every task spec of a real plan survives the wire: plain fields exactly; restored state (a savepoint of a keyed job,
 * read at another parallelism) byte for byte, with the files its keyed state names readable on the far side from the
 * checkpoint's location.
 */
class TaskSpecCodecTest {

    /** Sums per key; its keyed state is what the savepoint holds. */
    static final class Sum implements KeyedProcessFunction<Long, Long, String> {
        private transient ValueState<Long> sum;

        @Override
        public void open(RuntimeContext context) {
            sum = context.getState(new ValueStateDescriptor<>("sum", Types.LONG, 0L));
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<String> out) {
            sum.update(sum.value() + value);
        }
    }

    private static StreamEnvironment job(int parallelism, double rate, CollectSink<String> sink) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, 1_000_000, rate).uid("numbers")
                .keyBy(v -> v % 97)
                .process(new Sum(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("sink");
        return env;
    }

    private static ClassLoader loader() {
        return TaskSpecCodecTest.class.getClassLoader();
    }

    @Test
    void theTasksOfAFreshPlanRoundTripExactly() throws Exception {
        JobGraph graph = job(3, 0, new CollectSink<>()).buildJobGraph("fresh");
        ExecutionPlan plan = ExecutionPlanner.plan(graph, ChainPlanner.plan(graph), 2);
        assertFalse(plan.tasks().isEmpty());
        for (TaskSpec spec : plan.tasks()) {
            assertEquals(spec, TaskSpecCodec.decode(TaskSpecCodec.encode(spec), loader()), spec.name());
        }
    }

    @Test
    @Timeout(60)
    void restoredStateTravelsByteForByteAndItsFilesAreReadFromTheCheckpoint(@TempDir Path dir) throws Exception {
        CollectSink<String> sink = new CollectSink<>();
        JobClient client = job(2, 50_000, sink).executeAsync("before");
        String savepoint;
        try {
            Thread.sleep(300);
            savepoint = client.stopWithSavepoint(dir.resolve("savepoints").toString());
            client.await();
        } finally {
            client.cancel();
            sink.clear();
        }
        RestoredState restored = RestoredState.load(FileSystemCheckpointStorage.openPath(Path.of(savepoint)));
        JobGraph graph = job(3, 0, new CollectSink<>()).buildJobGraph("after");
        ExecutionPlan plan = ExecutionPlanner.plan(graph, ChainPlanner.plan(graph), 0, restored);
        int keyedFiles = 0;
        for (TaskSpec spec : plan.tasks()) {
            byte[] bytes = TaskSpecCodec.encode(spec);
            TaskSpec decoded = TaskSpecCodec.decode(bytes, loader());
            assertArrayEquals(bytes, TaskSpecCodec.encode(decoded), spec.name() + ": the decoded spec encodes the same");
            assertEquals(spec.key(), decoded.key());
            assertEquals(spec.inputs(), decoded.inputs());
            assertEquals(spec.outputs(), decoded.outputs());
            assertEquals(savepoint, decoded.restoreLocation());
            assertEquals(spec.restore().keySet(), decoded.restore().keySet());
            for (String uid : spec.restore().keySet()) {
                SubtaskRestore sent = spec.restore().get(uid);
                SubtaskRestore received = decoded.restore().get(uid);
                assertEquals(sent.splits(), received.splits(), uid);
                assertEquals(sent.keyed().size(), received.keyed().size(), uid);
                for (int k = 0; k < sent.keyed().size(); k++) {
                    keyedFiles += sameFiles(sent.keyed().get(k), received.keyed().get(k));
                }
            }
        }
        assertTrue(plan.tasks().stream().anyMatch(t -> t.restore().containsKey("sum")), "the keyed operator restores");
        assertTrue(keyedFiles > 0, "the savepoint's keyed state names files, read through the decoded spec");
    }

    /** The files a keyed snapshot names read the same through the decoded reader; returns how many. */
    private static int sameFiles(RestoredKeyedState sent, RestoredKeyedState received) throws Exception {
        KeyedStateFiles a = sent.snapshot().files();
        KeyedStateFiles b = received.snapshot().files();
        if (a == null) {
            assertEquals(null, b);
            return 0;
        }
        assertNotNull(b.reader());
        assertEquals(a.files(), b.files());
        for (KeyedStateFiles.File f : a.files()) {
            StateFileHandle handle = f.handle();
            try (InputStream x = a.reader().open(handle); InputStream y = b.reader().open(handle)) {
                assertArrayEquals(x.readAllBytes(), y.readAllBytes(), handle.name());
            }
        }
        return a.files().size();
    }
}
