package io.sluice.cluster;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named, bounded thread pools for the cluster processes' own work (gRPC call handlers, heartbeats). gRPC would
 * otherwise run handlers on an unbounded, unnamed cached pool.
 */
public final class RpcThreads {
    private RpcThreads() {}

    /**
     * {@code threads} daemon threads named {@code "sluice <role>-N"}, a queue of {@code queue} tasks; when both are
     * full the submitting thread runs the task itself (it slows the caller rather than dropping a call).
     */
    public static ExecutorService pool(String role, int threads, int queue) {
        return pool(role, threads, queue, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /**
     * As {@link #pool(String, int, int)}, but when its threads and queue are full a task is refused with
     * {@link java.util.concurrent.RejectedExecutionException}: for long calls, whose callers must not block the
     * threads that submit them.
     */
    public static ExecutorService refusingPool(String role, int threads, int queue) {
        return pool(role, threads, queue, new ThreadPoolExecutor.AbortPolicy());
    }

    private static ExecutorService pool(String role, int threads, int queue, RejectedExecutionHandler whenFull) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "sluice " + role + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, whenFull);
    }
}
