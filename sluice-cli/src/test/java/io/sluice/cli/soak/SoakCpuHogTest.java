package io.sluice.cli.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU hog owns named threads and stops them on close. */
class SoakCpuHogTest {
    @Test
    void theCpuHogsThreadsAreNamedAndStopOnClose() throws Exception {
        CpuHog hog = CpuHog.start(2, Duration.ofSeconds(30));
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("soak: cpu hog ")).toList();
        assertEquals(2, threads.size());
        hog.close();
        assertTrue(threads.stream().noneMatch(Thread::isAlive), "hog threads still running after close");
    }
}
