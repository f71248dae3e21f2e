package io.sluice.runtime.timer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link TimerQueue} on the heap, timers grouped by time: one {@link TimerBucket} per distinct time (its timers in the
 * order they were added), a min-heap of the buckets by time, and a {@link TimeBucketMap} from time to bucket. Timers
 * of equal time are taken in the order they were added. Task thread only.
 *
 * <p>Why buckets rather than one heap of timers plus one set of all of them: jobs register timers close to the
 * watermark and many at the same time (every key's window end, a bid's time plus the allowed disorder). With one
 * heap and one set, every registration probes a set as large as all pending timers and every fired timer sifts the
 * heap and leaves the set: cache misses in large arrays, which were most of the work of timer-heavy queries (q4:
 * 0.43 registrations per event, 740 k pending). Here a registration finds its bucket through the last bucket used or
 * a map of distinct times, and searches only that bucket; firing walks a bucket front to back and sifts the heap once
 * per distinct time.
 *
 * <p>Removal leaves a hole in the bucket (compacted once holes outnumber live timers). A bucket left empty stays (its time may come again: a timer deleted and
 * registered again) until it reaches the head, or until empty buckets are more than half the heap: then all of them
 * go at once, in O(n), so timers registered and deleted at times never reached do not accumulate.
 */
public final class BucketedTimerQueue implements TimerQueue {
    private final TimeBucketMap byTime = new TimeBucketMap();
    private long[] heapTimes = new long[16];
    private TimerBucket[] heap = new TimerBucket[16];
    private int heapSize;
    /** Buckets with no timers (all in the heap and the map). */
    private int empty;
    /** The bucket of the latest registration: the next one is often at the same time. */
    private TimerBucket last;
    private int size;

    @Override
    public boolean add(Timer timer) {
        int hash = timer.hashCode();
        TimerBucket bucket = bucketFor(timer.time());
        if (bucket == null) {
            bucket = new TimerBucket(timer.time());
            byTime.put(bucket);
            push(bucket);
        } else if (bucket.find(timer, hash) >= 0) {
            last = bucket;
            return false;
        } else if (bucket.live() == 0) {
            empty--;
        }
        bucket.append(timer, hash);
        last = bucket;
        size++;
        return true;
    }

    @Override
    public void remove(Timer timer) {
        TimerBucket bucket = bucketFor(timer.time());
        if (bucket == null) {
            return;
        }
        int pos = bucket.find(timer, timer.hashCode());
        if (pos < 0) {
            return;
        }
        bucket.removeAt(pos);
        size--;
        if (bucket.live() == 0 && ++empty > heapSize / 2 + 64) {
            dropEmpty();
        }
    }

    @Override
    public Timer peek() {
        while (heapSize > 0) {
            TimerBucket head = heap[0];
            Timer t = head.peek();
            if (t != null) {
                return t;
            }
            forget(head); // all taken or removed
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
        heap[0].poll();
        size--;
        if (heap[0].live() == 0) {
            empty++;
        }
        return t;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public List<Timer> copy() {
        List<Timer> all = new ArrayList<>(size);
        for (int i = 0; i < heapSize; i++) {
            heap[i].addLiveTo(all);
        }
        return all;
    }

    /** Heap entries, empty buckets included (tests: they must not accumulate). */
    int heapLength() {
        return heapSize;
    }

    /** Bucket positions in use, holes included (tests: they must stay O(size)). */
    int positions() {
        int positions = 0;
        for (int i = 0; i < heapSize; i++) {
            positions += heap[i].positions();
        }
        return positions;
    }

    private TimerBucket bucketFor(long time) {
        TimerBucket b = last;
        return b != null && b.time == time ? b : byTime.get(time);
    }

    /** Drops an empty bucket from the map (the caller drops it from the heap): its time gets a new one if it comes. */
    private void forget(TimerBucket bucket) {
        empty--;
        byTime.remove(bucket.time);
        if (last == bucket) {
            last = null;
        }
    }

    private void push(TimerBucket bucket) {
        if (heapSize == heap.length) {
            heapTimes = Arrays.copyOf(heapTimes, heapSize * 2);
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        int i = heapSize++;
        long time = bucket.time;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heapTimes[parent] <= time) {
                break;
            }
            heapTimes[i] = heapTimes[parent];
            heap[i] = heap[parent];
            i = parent;
        }
        heapTimes[i] = time;
        heap[i] = bucket;
    }

    private void pop() {
        int lastIndex = --heapSize;
        TimerBucket moved = heap[lastIndex];
        heap[lastIndex] = null;
        if (lastIndex > 0) {
            siftDown(0, moved);
        }
    }

    private void siftDown(int i, TimerBucket bucket) {
        long time = bucket.time;
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < heapSize && heapTimes[child + 1] < heapTimes[child]) {
                child++;
            }
            if (time <= heapTimes[child]) {
                break;
            }
            heapTimes[i] = heapTimes[child];
            heap[i] = heap[child];
            i = child;
        }
        heapTimes[i] = time;
        heap[i] = bucket;
    }

    /** Drops the empty buckets, compacts the heap to the others and restores the heap order, in O(n). */
    private void dropEmpty() {
        int kept = 0;
        for (int i = 0; i < heapSize; i++) {
            if (heap[i].live() == 0) {
                forget(heap[i]);
            } else {
                heapTimes[kept] = heapTimes[i];
                heap[kept++] = heap[i];
            }
        }
        Arrays.fill(heap, kept, heapSize, null);
        heapSize = kept;
        for (int i = (heapSize >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }
}
