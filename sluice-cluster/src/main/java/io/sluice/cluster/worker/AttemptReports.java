package io.sluice.cluster.worker;

import io.sluice.cluster.protocol.TaskMessage;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link TaskMessage.Kind#METRICS} reports of one attempt running on this worker (a spread share, or an attempt
 * run whole), kept in the order they were measured: each report is measured and handed to its sender under this
 * object's lock, so a periodic report measured before the final one is never sent after it, and none is sent once
 * the final one went. The coordinator keeps the last report it receives of an attempt as its final counts; a stale
 * one arriving after the final one would replace them.
 *
 * <p>Thread-safe: periodic reports come from the {@link MetricsReporter}'s thread, the final one from the thread that
 * saw the attempt end. Measuring and sending run under the lock, so neither may wait for long: a measurement reads
 * counters the task threads write (never waits for a task), and the control stream's {@code send} and {@code offer}
 * buffer or drop, never block.
 */
final class AttemptReports {
    private boolean finalSent; // guarded by this

    /**
     * Sends what {@code measure} gives now to {@code out} (nothing when it gives nothing), unless the final report was
     * sent already.
     */
    synchronized void periodic(Supplier<Optional<TaskMessage>> measure, Consumer<TaskMessage> out) {
        if (!finalSent) {
            measure.get().ifPresent(out);
        }
    }

    /**
     * Sends the attempt's final report, what {@code measure} gives now, to {@code out}; from then on nothing is sent,
     * also when measuring or sending throws (the exception is the caller's). Only the first call sends.
     */
    synchronized void last(Supplier<Optional<TaskMessage>> measure, Consumer<TaskMessage> out) {
        if (finalSent) {
            return;
        }
        finalSent = true;
        measure.get().ifPresent(out);
    }
}
