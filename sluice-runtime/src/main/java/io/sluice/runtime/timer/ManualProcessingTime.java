package io.sluice.runtime.timer;

import java.util.PriorityQueue;

/**
 * A processing-time clock that moves only when told: {@link #advanceTo} runs every due callback, in time order, on
 * the calling thread. For tests and the operator harness. Not thread-safe: use it from the thread that drives the
 * operator.
 */
public final class ManualProcessingTime implements ProcessingTimeService {
    private record Scheduled(long time, long seq, Callback callback) {}

    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    public ManualProcessingTime(long start) {
        this.now = start;
    }

    @Override
    public long currentTime() {
        return now;
    }

    @Override
    public void scheduleAt(long time, Callback callback) {
        scheduled.add(new Scheduled(time, seq++, callback));
    }

    /** Moves the clock to {@code time} (never back) and runs what is due, including what those runs schedule. */
    public void advanceTo(long time) throws Exception {
        now = Math.max(now, time);
        Scheduled s;
        while ((s = scheduled.peek()) != null && s.time <= now) {
            scheduled.poll();
            s.callback.onProcessingTime(s.time);
        }
    }
}
