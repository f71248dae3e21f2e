package io.sluice.runtime.channel;

import io.sluice.api.graph.Partitioning;
import io.sluice.runtime.operator.OperatorException;
import io.sluice.runtime.operator.RecordTarget;
import io.sluice.runtime.operator.TaskTimes;
import java.util.concurrent.TimeUnit;

/**
 * The producer end of one edge in one subtask: partitions records over the edge's channels, fills one batch per
 * channel and sends a batch when it is full, when the task flushes, or before a control event. A batch is full at the
 * batch size in records or, serialized, at one buffer, whichever comes first: its {@link BatchSizer} sets its capacity
 * when it opens, so a record costs no more than it did when batches were counted in records only. Sending into a
 * full channel waits (backpressure) until there is room or the job is cancelled. Task thread only.
 */
public final class ChannelWriter implements RecordTarget {
    private TaskTimes times = new TaskTimes();
    private final Channel[] channels;
    private final RecordBatch[] open;
    private final Partitioner partitioner;
    private final BatchSizer sizer;
    private final Cancellation cancellation;
    private final String targetName;

    public ChannelWriter(Channel[] channels, Partitioning partitioning, int producerSubtask, int maxParallelism,
            BatchSizer sizer, Cancellation cancellation, String targetName) {
        this.channels = channels;
        this.open = new RecordBatch[channels.length];
        this.partitioner = Partitioner.of(partitioning, producerSubtask, channels.length, maxParallelism);
        this.sizer = sizer;
        this.cancellation = cancellation;
        this.targetName = targetName;
    }

    @Override
    public void accept(Object record, long timestamp) {
        int target;
        try {
            target = partitioner.select(record);
        } catch (Exception | Error e) {
            throw new OperatorException("keyBy into '" + targetName + "'", e);
        }
        if (target >= 0) {
            add(target, record, timestamp);
        } else {
            for (int t = 0; t < channels.length; t++) {
                add(t, record, timestamp);
            }
        }
    }

    private void add(int target, Object record, long timestamp) {
        RecordBatch batch = open[target];
        if (batch == null) {
            batch = open[target] = new RecordBatch(sizer.recordsFor(record, timestamp));
        }
        if (batch.add(record, timestamp)) {
            open[target] = null;
            send(target, batch);
        }
    }

    @Override
    public void acceptWatermark(long watermark) {
        broadcastEvent(new ControlEvent.Watermark(watermark));
    }

    @Override
    public void acceptWatermarkStatus(boolean idle) {
        broadcastEvent(idle ? ControlEvent.WatermarkStatus.IDLE : ControlEvent.WatermarkStatus.ACTIVE);
    }

    /** Sends every partly filled batch. */
    public void flush() {
        for (int t = 0; t < channels.length; t++) {
            RecordBatch batch = open[t];
            if (batch != null) {
                open[t] = null;
                send(t, batch);
            }
        }
    }

    /** Flushes, then sends {@code event} on every channel, so it follows all records sent before it. */
    public void broadcastEvent(ControlEvent event) {
        flush();
        for (int t = 0; t < channels.length; t++) {
            send(t, event);
        }
    }

    /** Where the time spent waiting for room goes (the task's); call before the task starts. */
    public void measureInto(TaskTimes times) {
        this.times = times;
    }

    private void send(int target, ChannelElement element) {
        try {
            if (channels[target].offer(element, 0, TimeUnit.MILLISECONDS)) {
                return;
            }
            long waiting = System.nanoTime(); // the channel is full: backpressured, measured once per batch
            try {
                while (!channels[target].offer(element, 20, TimeUnit.MILLISECONDS)) {
                    cancellation.throwIfCancelled();
                }
            } finally {
                times.backpressuredNanos += System.nanoTime() - waiting;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancellation.throwIfCancelled();
            throw new IllegalStateException("interrupted while sending to '" + targetName + "'", e);
        }
    }
}
