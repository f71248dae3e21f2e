package io.sluice.api.windowing;

import io.sluice.api.types.TypeSerializer;
import java.io.Serializable;
import java.util.Collection;

/**
 * Puts each record into zero or more windows. Implement it for custom windows; the built-ins are in
 * {@link io.sluice.api.windowing.assigners}: tumbling, sliding and session windows in event or processing time, and
 * global windows. An assigner whose windows can grow together (sessions) implements {@link MergingWindowAssigner}.
 *
 * <p>An assigner is part of the job definition: it is serialized with the job and each parallel subtask gets its own
 * copy. {@link #assignWindows} runs on the subtask's task thread, once per record; keep it cheap and free of side
 * effects.
 *
 * @param <T> the records it assigns
 * @param <W> the windows it creates
 */
public interface WindowAssigner<T, W extends Window> extends Serializable {

    /**
     * The windows {@code element} belongs to.
     *
     * @param timestamp the record's event-time timestamp ({@link Long#MIN_VALUE} if it has none)
     */
    Collection<W> assignWindows(T element, long timestamp, AssignerContext context);

    /** The trigger used unless {@code WindowedStream.trigger(...)} sets another. */
    Trigger<? super T, ? super W> defaultTrigger();

    /** The serializer of the windows (window state and timers are snapshotted with them). */
    TypeSerializer<W> windowSerializer();

    /**
     * Whether windows are in event time: then the records' timestamps place them, window ends are reached by the
     * watermark, allowed lateness applies and records for windows already past it are late.
     */
    boolean isEventTime();

    /** What an assigner may look at. */
    interface AssignerContext {
        /** The task's processing-time clock in milliseconds. */
        long currentProcessingTime();
    }
}
