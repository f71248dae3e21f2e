package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.nexmark.results.HotItem;
import io.sluice.nexmark.results.ResultDigest;
import io.sluice.nexmark.run.Query;
import io.sluice.nexmark.run.ResultCounter;
import io.sluice.nexmark.run.RunClock;
import io.sluice.nexmark.run.RunLine;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine-neutral measurement helpers. */
class RunLineTest {

    @Test
    void theLineHasEveryFieldAndParsesBack() {
        RunLine line = new RunLine("sluice", "q5", 2_000_000, 2, "heap", "none", 1_250_000_000L, 42, 0xabcL);
        String text = line.format();
        assertEquals("NEXMARK engine=sluice query=q5 events=2000000 parallelism=2 backend=heap checkpoint=none "
                + "millis=1250 eps=1600000 results=42 digest=0000000000000abc", text);
        Map<String, String> fields = RunLine.parse(text);
        assertEquals("1600000", fields.get("eps"));
        assertEquals("0000000000000abc", fields.get("digest"));
        assertThrows(IllegalArgumentException.class, () -> RunLine.parse("something else"));
        assertFalse(fields.containsKey("peak_rss_mb"), "unknown peak RSS: no field");
    }

    @Test
    void thePeakRssIsTheLastFieldWhenKnown() {
        RunLine line = new RunLine("flink", "q0", 1000, 1, "rocksdb", "10s", 1_000_000_000L, 920, 0x1L, 412);
        String text = line.format();
        assertEquals("NEXMARK engine=flink query=q0 events=1000 parallelism=1 backend=rocksdb checkpoint=10s "
                + "millis=1000 eps=1000 results=920 digest=0000000000000001 peak_rss_mb=412", text);
        Map<String, String> fields = RunLine.parse(text + " jdk=25.0.3+9-LTS flink=2.3.0"); // extra fields parse too
        assertEquals("412", fields.get("peak_rss_mb"));
        assertEquals("2.3.0", fields.get("flink"));
        // lines of before the field still parse
        assertEquals("42", RunLine.parse("NEXMARK engine=sluice query=q5 events=2000000 parallelism=2 backend=heap "
                + "checkpoint=none millis=1250 eps=1600000 results=42 digest=0000000000000abc").get("results"));
    }

    @Test
    void thePeakRssComesFromVmHwm() {
        assertEquals(400, RunLine.peakRssMbOf("Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  409600 kB\nVmRSS:\t 300000 kB\n"));
        assertEquals(RunLine.UNKNOWN, RunLine.peakRssMbOf("Name:\tjava\n"));
        long now = RunLine.currentPeakRssMb();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(now > 0, "this JVM has a peak RSS: " + now);
            assertEquals(now, RunLine.now("loop", "q0", 1, 1, "heap", "none").peakRssMb(), 64.0);
        }
    }

    @Test
    void theClockStartsOnceAndTheCounterSums() throws Exception {
        RunClock.reset();
        assertFalse(RunClock.started());
        assertEquals(0, RunClock.elapsedNanos());
        RunClock.markFirstRecord();
        long first = RunClock.firstRecordNanos();
        Thread.sleep(2);
        RunClock.markFirstRecord(); // later marks do not move it
        assertEquals(first, RunClock.firstRecordNanos());
        assertTrue(RunClock.elapsedNanos() >= 2_000_000);

        ResultCounter.reset();
        HotItem a = new HotItem(10, 1000, 3);
        HotItem b = new HotItem(12, 1001, 4);
        ResultCounter.record(a);
        ResultCounter.add(1, ResultDigest.of(b));
        assertEquals(2, ResultCounter.count());
        assertEquals(ResultDigest.of(a) + ResultDigest.of(b), ResultCounter.digest());
        ResultCounter.reset();
        assertEquals(0, ResultCounter.count());
    }

    @Test
    void queriesParseByName() {
        assertEquals(Query.Q11, Query.parse("q11"));
        assertEquals(Query.Q5, Query.parse("Q5"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Query.parse("q6"));
        assertEquals("unknown query 'q6': valid queries are q0, q1, q2, q3, q4, q5, q7, q8, q11, kc", e.getMessage());
    }
}
