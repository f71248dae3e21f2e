package io.sluice.runtime.channel;

import java.util.concurrent.TimeUnit;

/**
 * A bounded, ordered connection from one producer subtask to one consumer subtask, carrying
 * {@link RecordBatch}es and {@link ControlEvent}s. A full channel makes its producer wait: that is backpressure,
 * and what bounds memory however fast a source is. The in-process implementation hands objects over by
 * reference; a network implementation will serialize.
 *
 * <p>Threading: {@link #offer} from the producer's thread only, {@link #poll} and {@link #isEmpty} from the
 * consumer's thread only.
 */
public interface Channel {

    /** Appends {@code element}, waiting up to {@code timeout} for space; {@code false} if there was none. */
    boolean offer(ChannelElement element, long timeout, TimeUnit unit) throws InterruptedException;

    /** The next element, or {@code null} if none is there now. */
    ChannelElement poll();

    boolean isEmpty();

    /** Capacity in elements (batches and events). */
    int capacity();

    /** The most elements held at once so far. */
    int maxOccupancy();
}
