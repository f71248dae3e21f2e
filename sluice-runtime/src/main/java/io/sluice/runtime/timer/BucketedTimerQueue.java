package io.sluice.runtime.timer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link TimerQueue} on the heap, timers grouped by time: a map from each distinct time to its entry — the one timer
 * at that time, or a {@link TimerBucket} of several in the order they were added ({@link TimerEntriesByTime}) — and a
 * min-heap of the times. Timers of equal time are taken in the order they were added. Task thread only.
 *
 * <p>Why group by time rather than keep one heap of timers plus one set of all of them: jobs register timers close to
 * the watermark and many at the same time (every key's window end, a bid's time plus the allowed disorder). With one
 * heap and one set, every registration probes a set as large as all pending timers and every fired timer sifts the
 * heap and leaves the set: cache misses in large arrays, which were most of the work of timer-heavy queries (q4:
 * 0.43 registrations per event, 740 k pending). Here a registration finds its time's entry through the last one used
 * or the map and searches only that entry; firing walks a bucket front to back and sifts the heap once per distinct
 * time. A time with one timer (session ends, timeouts: each deleted when the session grows) keeps the timer itself
 * in the map, with no bucket object; the heap holds bare {@code long}s.
 *
 * <p>The heap may hold times that no longer have an entry (their timers were removed; or twice, when timers came
 * again at such a time): they are skipped at the head, and the heap is rebuilt from the map when they are more than
 * half of it, so timers registered and deleted at times never reached do not accumulate. A removal inside a bucket
 * leaves a hole (compacted by the bucket once holes outnumber twice its timers).
 */
public final class BucketedTimerQueue implements TimerQueue {
    private final TimerEntriesByTime byTime = new TimerEntriesByTime();
    private long[] heap = new long[16];
    private int heapSize;
    /** Heap times beyond those with an entry: skipped at the head. */
    private int stale;
    /** The entry at {@link #lastTime} when not {@code null}: registrations often come at the previous one's time. */
    private Object lastEntry;
    private long lastTime;
    /**
     * The entry at the head time {@code heap[0]} once {@link #peek} has looked it up, else {@code null}: firing takes a
     * bucket's timers one call at a time. Cleared whenever the head time or its entry changes.
     */
    private Object headEntry;
    private int size;

    @Override
    public boolean add(Timer timer) {
        long time = timer.time();
        Object entry = entryAt(time);
        if (entry == null) { // a lone timer needs no hash: only buckets search by it
            byTime.put(time, timer);
            push(time);
            remember(time, timer);
        } else if (entry instanceof TimerBucket bucket) {
            remember(time, bucket);
            int hash = timer.hashCode();
            if (bucket.find(timer, hash) >= 0) {
                return false;
            }
            bucket.append(timer, hash);
        } else {
            Timer single = (Timer) entry;
            if (single == timer || single.equals(timer)) {
                return false;
            }
            TimerBucket bucket = new TimerBucket();
            bucket.append(single, single.hashCode());
            bucket.append(timer, timer.hashCode());
            byTime.put(time, bucket);
            remember(time, bucket);
            if (heap[0] == time) {
                headEntry = bucket;
            }
        }
        size++;
        return true;
    }

    @Override
    public void remove(Timer timer) {
        long time = timer.time();
        Object entry = entryAt(time);
        if (entry instanceof TimerBucket bucket) {
            int pos = bucket.find(timer, timer.hashCode());
            if (pos < 0) {
                return;
            }
            bucket.removeAt(pos);
            size--;
            if (bucket.live() == 0) {
                drop(time);
            }
        } else if (entry != null && (entry == timer || entry.equals(timer))) {
            size--;
            drop(time);
        }
    }

    @Override
    public Timer peek() {
        while (heapSize > 0) {
            long time = heap[0];
            Object entry = headEntry != null ? headEntry : byTime.get(time);
            if (entry == null) {
                stale--;
            } else if (entry instanceof TimerBucket bucket) {
                Timer first = bucket.peek();
                if (first != null) {
                    headEntry = bucket;
                    return first;
                }
                forget(time); // every timer taken
            } else {
                headEntry = entry;
                return (Timer) entry;
            }
            pop();
        }
        return null;
    }

    @Override
    public Timer pollDue(long time) {
        Timer t = peek();
        if (t == null || t.time() > time) {
            return null;
        }
        if (headEntry instanceof TimerBucket bucket) {
            bucket.poll(); // an emptied bucket goes at the next peek: timers may still come at its time
        } else {
            forget(t.time());
            pop();
        }
        size--;
        return t;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public List<Timer> copy() {
        List<Timer> all = new ArrayList<>(size);
        byTime.forEach(entry -> {
            if (entry instanceof TimerBucket bucket) {
                bucket.addLiveTo(all);
            } else {
                all.add((Timer) entry);
            }
        });
        return all;
    }

    /** Heap entries, stale ones included (tests: they must not accumulate). */
    int heapLength() {
        return heapSize;
    }

    /** Positions in use, holes in buckets included (tests: they must stay O(size)). */
    int positions() {
        int[] positions = {0};
        byTime.forEach(entry -> positions[0] += entry instanceof TimerBucket bucket ? bucket.positions() : 1);
        return positions[0];
    }

    private Object entryAt(long time) {
        return lastEntry != null && lastTime == time ? lastEntry : byTime.get(time);
    }

    private void remember(long time, Object entry) {
        lastTime = time;
        lastEntry = entry;
    }

    /** The time's timers were all removed: its heap time goes stale. */
    private void drop(long time) {
        forget(time);
        if (++stale > heapSize / 2 + 64) {
            rebuildHeap();
        }
    }

    /** Removes the time's entry from the map. */
    private void forget(long time) {
        byTime.remove(time);
        if (lastTime == time) {
            lastEntry = null;
        }
        if (heapSize > 0 && heap[0] == time) {
            headEntry = null;
        }
    }

    private void push(long time) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= time) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = time;
        if (i == 0) {
            headEntry = null;
        }
    }

    private void pop() {
        headEntry = null;
        long last = heap[--heapSize];
        if (heapSize > 0) {
            siftDown(0, last);
        }
    }

    private void siftDown(int i, long time) {
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
                child++;
            }
            if (time <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = time;
    }

    /** The heap again holds exactly the times with an entry, each once: O(n). */
    private void rebuildHeap() {
        headEntry = null;
        heapSize = byTime.size(); // at most the heap's length: every time with an entry has a copy in the heap
        byTime.timesInto(heap);
        for (int i = (heapSize >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
        stale = 0;
    }
}
