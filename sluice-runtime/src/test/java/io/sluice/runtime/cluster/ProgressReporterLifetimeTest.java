package io.sluice.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.SubmitOptions;
import io.sluice.api.sink.CollectSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job's progress reporter ends with the job, also when every task ended before the run had started its reporter
 * (a tiny job): it used to be started after the task threads, so a run whose tasks all ended first never closed it,
 * and a daemon thread logged the finished job's progress for the rest of the process's life.
 */
class ProgressReporterLifetimeTest {

    private static List<String> progressThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("sluice tiny-") && t.getName().endsWith(": progress")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    @Timeout(120)
    void noReporterOutlivesItsJob() throws Exception {
        for (int i = 0; i < 300; i++) {
            StreamEnvironment env = StreamEnvironment.create().setParallelism(1);
            CollectSink<Long> sink = new CollectSink<>();
            env.generateSequence(1, 1).sinkTo(sink);
            new LocalExecutor().submit(env.buildJobGraph("tiny-" + i),
                    SubmitOptions.fresh().withProgressInterval(Duration.ofMillis(200))).await();
            sink.clear();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!progressThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), progressThreads(), "progress reporters of ended jobs");
    }
}
