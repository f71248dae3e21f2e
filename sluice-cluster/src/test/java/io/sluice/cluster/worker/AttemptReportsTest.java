package io.sluice.cluster.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.cluster.protocol.TaskMessage;
import io.sluice.cluster.protocol.TaskMessage.Kind;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of an attempt's reports, driven step by step with latches and a measurement that blocks on purpose (no
 * sleeps): a periodic report measured before the final one is sent before it, and nothing is sent after the final
 * one. Without the lock over measuring and sending, the periodic report measured first would be sent last and replace
 * the final counts on the coordinator.
 */
@Timeout(30)
class AttemptReportsTest {

    private static TaskMessage report(String text) {
        return TaskMessage.of(Kind.METRICS, "job-1", 0, -1, -1, 0, text, 0);
    }

    @Test
    void aPeriodicReportMeasuredBeforeTheFinalOneIsSentBeforeIt() throws Exception {
        AttemptReports reports = new AttemptReports();
        List<String> sent = new CopyOnWriteArrayList<>();
        CountDownLatch measuring = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread periodic = new Thread(() -> reports.periodic(() -> {
            measuring.countDown();
            awaitOrFail(release);
            return Optional.of(report("periodic, measured first"));
        }, m -> sent.add(m.text())), "test: periodic report");
        Thread last = new Thread(() -> reports.last(() -> Optional.of(report("final")), m -> sent.add(m.text())),
                "test: final report");
        try {
            periodic.start();
            assertTrue(measuring.await(10, TimeUnit.SECONDS), "the periodic report started measuring");
            last.start();
            // The final report either waits for the periodic one (BLOCKED) or, were nothing ordering them, went already.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (last.getState() != Thread.State.BLOCKED && last.getState() != Thread.State.TERMINATED) {
                assertTrue(System.nanoTime() < deadline, "the final report neither waited nor was sent: " + last.getState());
                Thread.onSpinWait();
            }
            release.countDown();
            periodic.join(10_000);
            last.join(10_000);
            assertFalse(periodic.isAlive() || last.isAlive(), "both reports went");
            assertEquals(List.of("periodic, measured first", "final"), sent, "the final report is the last one sent");
        } finally {
            release.countDown();
            periodic.interrupt();
            last.interrupt();
        }
    }

    @Test
    void nothingIsMeasuredOrSentAfterTheFinalReport() {
        AttemptReports reports = new AttemptReports();
        List<String> sent = new CopyOnWriteArrayList<>();
        reports.periodic(() -> Optional.of(report("periodic")), m -> sent.add(m.text()));
        reports.last(() -> Optional.of(report("final")), m -> sent.add(m.text()));
        AtomicBoolean measuredAfter = new AtomicBoolean();
        Supplier<Optional<TaskMessage>> late = () -> {
            measuredAfter.set(true);
            return Optional.of(report("late"));
        };
        reports.periodic(late, m -> sent.add(m.text()));
        reports.last(late, m -> sent.add(m.text()));
        assertEquals(List.of("periodic", "final"), sent);
        assertFalse(measuredAfter.get(), "nothing is measured once the final report went");
    }

    @Test
    void aFinalReportThatCannotBeMeasuredStillEndsTheReports() {
        AttemptReports reports = new AttemptReports();
        List<String> sent = new CopyOnWriteArrayList<>();
        try {
            reports.last(() -> {
                throw new IllegalStateException("the view is gone");
            }, m -> sent.add(m.text()));
        } catch (IllegalStateException expected) {
            // the caller logs it
        }
        reports.periodic(() -> Optional.of(report("late")), m -> sent.add(m.text()));
        assertEquals(List.of(), sent);
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test did not release the measurement within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        }
    }
}
