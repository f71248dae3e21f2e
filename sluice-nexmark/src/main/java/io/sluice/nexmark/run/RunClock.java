package io.sluice.nexmark.run;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of one benchmark run, engine-neutral (JDK only): the protocol of {@code BENCHMARKS.md} times a run from
 * the first record read to the job's end, inside the job's process, so JVM start and job submission are excluded.
 *
 * <p>Use: {@link #reset()} before submitting the job; each source reader (every engine, every parallel subtask) calls
 * {@link #markFirstRecord()} once, before it emits its first event (the first call wins, by compare-and-set); when the
 * job has ended, {@link #elapsedNanos()} is the run's time. Static, because the source runs in the job's threads (an
 * embedded cluster: Sluice's local executor, Flink's MiniCluster) and the driver that reads the clock only shares the
 * JVM with them. Not for jobs whose sources run in other JVMs.
 *
 * <p>Thread-safe. A reader should keep its own "marked" flag so that its hot path pays nothing after the first call.
 */
public final class RunClock {
    private static final long UNSET = Long.MIN_VALUE;
    private static final AtomicLong FIRST_RECORD = new AtomicLong(UNSET);

    private RunClock() {}

    /** Sets the first-record time to now, unless a record was marked since the last {@link #reset()}. */
    public static void markFirstRecord() {
        if (FIRST_RECORD.get() == UNSET) {
            FIRST_RECORD.compareAndSet(UNSET, System.nanoTime());
        }
    }

    /** Whether a first record was marked since the last {@link #reset()}. */
    public static boolean started() {
        return FIRST_RECORD.get() != UNSET;
    }

    /** The {@link System#nanoTime()} of the first record; fails if none was marked. */
    public static long firstRecordNanos() {
        long first = FIRST_RECORD.get();
        if (first == UNSET) {
            throw new IllegalStateException("no first record was marked (RunClock.markFirstRecord)");
        }
        return first;
    }

    /** Nanoseconds from the first record to now (call it when the job has ended); 0 if no record was marked. */
    public static long elapsedNanos() {
        long first = FIRST_RECORD.get();
        return first == UNSET ? 0 : System.nanoTime() - first;
    }

    /** Forgets the first record, for the next run in this JVM. */
    public static void reset() {
        FIRST_RECORD.set(UNSET);
    }
}
