package io.sluice.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.sink.CollectSink;
import io.sluice.api.types.Types;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Savepoints without periodic checkpoints: stop with a savepoint, resume it at another parallelism, exact state. */
class SavepointJobTest {
    private static final int KEYS = 500;

    private static StreamEnvironment job(long n, double rate, int parallelism, CollectSink<String> sink) {
        StreamEnvironment env = StreamEnvironment.create().setParallelism(parallelism);
        env.generateSequence(1, n, rate).uid("numbers")
                .keyBy(v -> v % KEYS)
                .process(new SumPerKey(), Types.STRING).uid("sum")
                .sinkTo(sink).uid("collect");
        return env;
    }

    @Test
    @Timeout(60)
    void stopWithSavepointThenResumeAtAnotherParallelism(@TempDir Path dir) throws Exception {
        long n = 200_000;
        CollectSink<String> first = new CollectSink<>();
        JobClient client = job(n, 100_000, 2, first).executeAsync("before the savepoint");
        Thread.sleep(500);
        String savepoint = client.stopWithSavepoint(dir.resolve("savepoints").toString());
        client.await(); // stopped normally
        assertTrue(Files.exists(Path.of(savepoint, "_metadata")), savepoint);
        assertTrue(first.results().isEmpty(), "no final sums before the input ended");
        CollectSink<String> second = new CollectSink<>();
        StreamEnvironment resumed = job(n, 0, 3, second);
        resumed.restoreFrom(savepoint);
        resumed.execute("after the savepoint");
        assertEquals(SumPerKey.oracle(n, KEYS), SumPerKey.parse(second.results()));
        first.clear();
        second.clear();
    }

    @Test
    @Timeout(60)
    void aSavepointTakenWhileRunningDoesNotDisturbTheJob(@TempDir Path dir) throws Exception {
        long n = 150_000;
        CollectSink<String> sink = new CollectSink<>();
        JobClient client = job(n, 150_000, 2, sink).executeAsync("with a savepoint");
        Thread.sleep(300);
        String savepoint = client.triggerSavepoint(dir.toString());
        client.await();
        assertEquals(SumPerKey.oracle(n, KEYS), SumPerKey.parse(sink.results()));
        CollectSink<String> again = new CollectSink<>();
        StreamEnvironment resumed = job(n, 0, 1, again);
        resumed.restoreFrom(savepoint);
        resumed.execute("from the savepoint");
        assertEquals(SumPerKey.oracle(n, KEYS), SumPerKey.parse(again.results()), "the savepoint resumes to the same final state");
        sink.clear();
        again.clear();
    }
}
