package io.sluice.state.rocksdb;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.state.KeyGroups;
import io.sluice.runtime.state.VoidNamespace;
import io.sluice.runtime.timer.TimerQueue;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksIterator;

/**
 * One time domain of one timer service, stored in RocksDB ({@link TimerColumn}), so timers may outgrow the heap.
 * Task thread only.
 *
 * <p>The heap holds each key group's earliest timers, read ahead ({@link TimerRun}: up to {@link TimerRun#CAPACITY}
 * per read), and the groups ordered by their earliest ({@link KeyGroupHeads}), so {@link #peek()} costs nothing,
 * taking a timer re-sorts one group, and taking timers reads RocksDB once per run. A run is unknown until first
 * needed (after a restore, all are), so a restore costs no reads up front. {@link #add} reads the key first (to answer whether it is new and keep the count);
 * {@link #put} and {@link #remove} write blindly.
 */
final class RocksTimerQueue implements TimerQueue {
    private final RocksDbKeyedStateBackend backend;
    private final TimerColumn column;
    private final byte domain;
    private final TypeSerializer<Object> keySerializer;
    private final TypeSerializer<Object> namespaceSerializer;
    private final int firstKeyGroup;
    /** Per key group of the range: its earliest timers. */
    private final TimerRun[] runs;
    /**
     * Per key group: no timer of the group is earlier than this (the time of the last one taken, lowered by adds).
     * A read with no {@link TimerRun#bound} seeks here rather than to the group's first key, stepping over none of
     * the deleted keys of the timers already taken: RocksDB keeps them as tombstones until compaction, and a seek
     * from the prefix would walk through all of them on every read.
     */
    private final long[] floor;
    /** The groups ordered by their runs' heads; a group whose run must be read first is stale there. */
    private final KeyGroupHeads heads;
    /** The number of timers, or -1 until counted (after a restore). */
    private long size = -1;
    private final Bytes.Out out = new Bytes.Out(64);

    RocksTimerQueue(RocksDbKeyedStateBackend backend, TimerColumn column, byte domain,
            TypeSerializer<Object> namespaceSerializer) {
        this.backend = backend;
        this.column = column;
        this.domain = domain;
        this.keySerializer = backend.keySerializer();
        this.namespaceSerializer = namespaceSerializer;
        this.firstKeyGroup = backend.keyGroupRange().first();
        this.runs = new TimerRun[backend.keyGroupRange().size()];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = new TimerRun();
        }
        this.heads = new KeyGroupHeads(runs.length);
        this.floor = new long[runs.length];
        java.util.Arrays.fill(floor, Long.MIN_VALUE);
    }

    @Override
    public boolean add(Timer timer) {
        int keyGroup = KeyGroups.keyGroupOf(timer.key(), backend.maxParallelism());
        byte[] key = encode(keyGroup, timer);
        if (backend.get(column.handle, key) != null) {
            return false;
        }
        backend.put(column.handle, key, Bytes.EMPTY);
        if (size >= 0) {
            size++;
        }
        noteAdded(keyGroup, key, timer);
        return true;
    }

    /** A blind write: a put of a timer that is there already changes nothing, so no read to find out. */
    @Override
    public void put(Timer timer) {
        int keyGroup = KeyGroups.keyGroupOf(timer.key(), backend.maxParallelism());
        byte[] key = encode(keyGroup, timer);
        backend.put(column.handle, key, Bytes.EMPTY);
        size = -1; // counted again if asked
        noteAdded(keyGroup, key, timer);
    }

    private void noteAdded(int keyGroup, byte[] key, Timer timer) {
        int i = keyGroup - firstKeyGroup;
        if (timer.time() < floor[i]) {
            floor[i] = timer.time();
        }
        runs[i].offer(key, timer);
        headChanged(i);
    }

    /** Group {@code i}'s run changed: its place among the groups is updated now if known, else when next needed. */
    private void headChanged(int i) {
        TimerRun run = runs[i];
        if (!run.loaded()) {
            heads.markStale(i);
        } else if (run.head() == null) {
            heads.setEmpty(i); // a loaded run is empty only when complete
        } else {
            heads.set(i, run.head().time());
        }
    }

    /** A blind delete (a tombstone), as {@link #put}: no read to find out whether the timer is there. */
    @Override
    public void remove(Timer timer) {
        int keyGroup = KeyGroups.keyGroupOf(timer.key(), backend.maxParallelism());
        byte[] key = encode(keyGroup, timer);
        backend.delete(column.handle, key);
        size = -1;
        int i = keyGroup - firstKeyGroup;
        runs[i].remove(key);
        headChanged(i);
    }

    @Override
    public Timer peek() {
        while (heads.hasStale()) {
            int i = heads.takeStale();
            head(i); // reads the run, which is then loaded
            headChanged(i);
        }
        int i = heads.first();
        return i < 0 ? null : runs[i].head();
    }

    @Override
    public Timer pollDue(long time) {
        Timer t = peek();
        if (t == null || t.time() > time) {
            return null;
        }
        int i = heads.first();
        floor[i] = t.time();
        runs[i].pollFirst();
        backend.delete(column.handle, encode(i + firstKeyGroup, t));
        if (size > 0) {
            size--;
        }
        headChanged(i); // the group's next timer may be later than another group's
        return t;
    }

    @Override
    public int size() {
        if (size < 0) {
            long n = 0;
            for (int i = 0; i < runs.length; i++) {
                byte[] prefix = TimerColumn.prefix(i + firstKeyGroup, domain);
                try (RocksIterator it = backend.newIterator(column.handle)) {
                    for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                        n++;
                    }
                    backend.check(it);
                }
            }
            size = n;
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    @Override
    public List<Timer> copy() {
        List<Timer> all = new ArrayList<>();
        for (int i = 0; i < runs.length; i++) {
            byte[] prefix = TimerColumn.prefix(i + firstKeyGroup, domain);
            try (RocksIterator it = backend.newIterator(column.handle)) {
                for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                    all.add(decode(it.key()));
                }
                backend.check(it);
            }
        }
        return all;
    }

    /** Key group {@code i}'s earliest timer, read ahead from RocksDB unless its run is loaded. */
    private Timer head(int i) {
        TimerRun run = runs[i];
        if (!run.loaded()) {
            byte[] prefix = TimerColumn.prefix(i + firstKeyGroup, domain);
            try (RocksIterator it = backend.newIterator(column.handle)) {
                byte[] from = run.bound();
                if (from == null && floor[i] != Long.MIN_VALUE) {
                    from = Arrays.copyOf(prefix, prefix.length + 8);
                    TimerColumn.putTime(from, floor[i]);
                }
                it.seek(from == null ? prefix : from);
                run.startLoad();
                boolean exhausted = true;
                for (; it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                    byte[] key = it.key();
                    if (run.bound() != null && Arrays.equals(key, run.bound())) {
                        continue; // taken or removed since (a run covers its bound)
                    }
                    if (!run.append(key, decode(key))) {
                        exhausted = false;
                        break;
                    }
                }
                backend.check(it);
                run.finishLoad(exhausted);
            }
        }
        return run.head();
    }

    private byte[] encode(int keyGroup, Timer timer) {
        out.reset();
        try {
            out.data.writeShort(keyGroup);
            out.data.writeByte(domain);
            out.data.writeLong(0); // the time, written below in sortable form
            keySerializer.serialize(timer.key(), out.data);
            if (namespaceSerializer != null) {
                namespaceSerializer.serialize(timer.namespace(), out.data);
            } else if (timer.namespace() != VoidNamespace.INSTANCE) {
                throw new IllegalArgumentException("timer service '" + column.service
                        + "' has a namespaced timer but no namespace serializer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] key = out.toByteArray();
        TimerColumn.putTime(key, timer.time());
        return key;
    }

    private Timer decode(byte[] key) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(key, 11, key.length - 11));
            Object k = keySerializer.deserialize(in);
            Object namespace = namespaceSerializer == null ? VoidNamespace.INSTANCE : namespaceSerializer.deserialize(in);
            return new Timer(TimerColumn.time(key), k, namespace);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a timer of '" + column.service + "': " + e.getMessage(), e);
        }
    }
}
