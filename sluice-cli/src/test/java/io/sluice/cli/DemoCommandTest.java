package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/sluice demo} end to end: every part checks its result against a plain Java computation and says so, the
 * last one on a local cluster of processes whose worker running the job is killed and the job recovers on the other;
 * no process the demo started outlives it.
 */
class DemoCommandTest {

    private static Set<Long> liveChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    @Test
    @Timeout(180)
    void everyPartChecksItsResultAndTheClusterPartRecoversFromAKilledWorker() {
        Set<Long> before = liveChildren();
        MainTest.Result r = MainTest.run("demo");
        try {
            assertEquals(0, r.exit(), r.toString());
            String out = r.out();
            assertTrue(out.contains("Demo passed: every result above equals a plain Java computation."), out);
            assertEquals(2, out.lines().filter(l -> l.endsWith("; exactly once.")).count(), "parts 3 and 4: " + out);
            String part4 = out.substring(out.indexOf("== 4. A local cluster of processes"));
            Matcher killed = Pattern.compile("Killing (worker-\\d) \\(pid (\\d+)\\) with SIGKILL after checkpoint \\d+\\.")
                    .matcher(part4);
            assertTrue(killed.find(), part4);
            List<String> client = part4.lines().filter(l -> l.startsWith("sluice: job job-1 ")).toList();
            assertTrue(client.stream().anyMatch(l -> l.startsWith("sluice: job job-1 restarts: worker " + killed.group(1)
                    + " was lost")), part4);
            assertTrue(client.stream().anyMatch(l -> l.matches("sluice: job job-1 runs on worker-\\d \\(restart 1\\)")
                    && !l.contains(killed.group(1) + " ")), "recovered on the other worker: " + part4);
            assertTrue(part4.contains("Workers killed: 1; restarts: 1;"), part4);
            assertTrue(part4.contains("$ bin/sluice cluster stop --dir ") && part4.contains("Cluster stopped: "), part4);
        } finally {
            Set<Long> left = liveChildren();
            left.removeAll(before);
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            assertEquals(Set.of(), left, "processes the demo left running");
        }
    }
}
