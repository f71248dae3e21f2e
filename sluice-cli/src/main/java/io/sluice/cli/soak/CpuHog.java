package io.sluice.cli.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Busy threads beside the soak ({@code --hog}): the rounds' child JVMs then get less CPU than they expect, which
 * stretches and shuffles the timing between records, checkpoints, faults and kills (the known state loss showed in CI
 * runs, on loaded machines). Owns its threads ({@code soak: cpu hog N}, daemons): {@link #close()} stops and joins
 * them, and each stops by itself after {@code maxLifetime} at the latest.
 */
final class CpuHog implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    /** Written by the busy loops so the JIT cannot drop their work. */
    @SuppressWarnings("unused")
    private volatile long sink;

    private CpuHog() {}

    /** Starts {@code count} busy threads. */
    static CpuHog start(int count, Duration maxLifetime) {
        if (count < 1) {
            throw new IllegalArgumentException("a CPU hog needs at least one thread, was " + count);
        }
        CpuHog hog = new CpuHog();
        long deadline = System.nanoTime() + maxLifetime.toNanos();
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(() -> hog.spin(deadline), "soak: cpu hog " + i);
            t.setDaemon(true);
            hog.threads.add(t);
            t.start();
        }
        return hog;
    }

    int threads() {
        return threads.size();
    }

    private void spin(long deadline) {
        long x = 1;
        while (!stopped && System.nanoTime() < deadline) {
            for (int i = 0; i < 100_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink = x;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(1_000);
        }
    }
}
