package io.sluice.nexmark.run;

import io.sluice.nexmark.results.ResultDigest;
import java.util.concurrent.atomic.LongAdder;

/**
 * The results of one benchmark run, engine-neutral (JDK only): how many, and the order-independent sum of their
 * {@link ResultDigest}s, so two engines' outputs compare cheaply (equal count and digest) without formatting or
 * storing results. Static, like {@link RunClock}: sinks run in the job's threads of this JVM.
 *
 * <p>Use: {@link #reset()} before the job; a sink either calls {@link #record(Object)} per result or, cheaper, keeps
 * its own count and digest sum per subtask and hands them over once with {@link #add(long, long)} when its input
 * ends; after the job, read {@link #count()} and {@link #digest()}. A job that restarts from a checkpoint would count
 * results of the replayed part twice, unless its sinks add only at the end (as Sluice's {@code ResultCountingSink}
 * does). Thread-safe.
 */
public final class ResultCounter {
    private static final LongAdder COUNT = new LongAdder();
    private static final LongAdder DIGEST = new LongAdder();

    private ResultCounter() {}

    /** Counts one result and adds its digest. */
    public static void record(Object result) {
        COUNT.increment();
        DIGEST.add(ResultDigest.of(result));
    }

    /** Adds a sink subtask's totals: {@code count} results whose {@link ResultDigest}s sum (wrapping) to {@code digestSum}. */
    public static void add(long count, long digestSum) {
        COUNT.add(count);
        DIGEST.add(digestSum);
    }

    public static long count() {
        return COUNT.sum();
    }

    /** The sum (wrapping) of the digests of all results. */
    public static long digest() {
        return DIGEST.sum();
    }

    public static void reset() {
        COUNT.reset();
        DIGEST.reset();
    }
}
