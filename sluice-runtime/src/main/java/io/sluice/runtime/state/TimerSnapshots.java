package io.sluice.runtime.state;

import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.timer.TimerQueue;
import io.sluice.runtime.timer.TimerQueues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The timers of one timer service grouped by key group as both keyed state backends snapshotted them before the
 * canonical format ({@link io.sluice.runtime.state.snapshot.CanonicalFormat}):
 * {@code byte namespaced, int count, (byte domain, long time, key, [namespace])*} per key group. Read when such an
 * older snapshot is restored; the domain bytes ({@link #EVENT_TIME}, {@link #PROCESSING_TIME}) are the canonical
 * format's too.
 */
public final class TimerSnapshots {
    public static final byte EVENT_TIME = 0;
    public static final byte PROCESSING_TIME = 1;

    private TimerSnapshots() {}

    private record DomainTimer(byte domain, TimerQueue.Timer timer) {}

    /**
     * The timers' bytes per key group.
     *
     * @param serviceName         for the error when a timer has a namespace but no serializer is given
     * @param namespaceSerializer {@code null} for timers in the void namespace
     * @param keyGroupOf          the key group of a timer's key (and a check that it belongs to the backend)
     */
    public static Map<Integer, byte[]> byKeyGroup(String serviceName, List<TimerQueue.Timer> eventTime,
            List<TimerQueue.Timer> processingTime, TypeSerializer<Object> keySerializer,
            TypeSerializer<Object> namespaceSerializer, ToIntFunction<Object> keyGroupOf) throws IOException {
        Map<Integer, List<DomainTimer>> grouped = new HashMap<>();
        for (TimerQueue.Timer timer : eventTime) {
            grouped.computeIfAbsent(keyGroupOf.applyAsInt(timer.key()), k -> new ArrayList<>()).add(new DomainTimer(EVENT_TIME, timer));
        }
        for (TimerQueue.Timer timer : processingTime) {
            grouped.computeIfAbsent(keyGroupOf.applyAsInt(timer.key()), k -> new ArrayList<>())
                    .add(new DomainTimer(PROCESSING_TIME, timer));
        }
        Map<Integer, byte[]> result = new HashMap<>();
        for (Map.Entry<Integer, List<DomainTimer>> e : grouped.entrySet()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeBoolean(namespaceSerializer != null);
            out.writeInt(e.getValue().size());
            for (DomainTimer dt : e.getValue()) {
                out.writeByte(dt.domain());
                out.writeLong(dt.timer().time());
                keySerializer.serialize(dt.timer().key(), out);
                if (namespaceSerializer != null) {
                    namespaceSerializer.serialize(dt.timer().namespace(), out);
                } else if (dt.timer().namespace() != VoidNamespace.INSTANCE) {
                    throw new IOException("timer service '" + serviceName + "' has a namespaced timer but no namespace serializer");
                }
            }
            out.flush();
            result.put(e.getKey(), bytes.toByteArray());
        }
        return result;
    }

    /**
     * Adds the timers of one key group's bytes (as {@link #byKeyGroup} wrote them) to {@code queues}.
     *
     * @param namespaceSerializer {@code null} for a service whose timers are in the void namespace
     * @throws IOException when the bytes are damaged, or were written with namespaces and the service now has none
     *                     (or the other way round)
     */
    public static void addTo(TimerQueues queues, byte[] bytes, String serviceName, TypeSerializer<Object> keySerializer,
            TypeSerializer<Object> namespaceSerializer) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        boolean namespaced = in.readBoolean();
        if (namespaced != (namespaceSerializer != null)) {
            throw new IOException("timer service '" + serviceName + "' was snapshotted " + (namespaced ? "with" : "without")
                    + " namespaces (windows) but is now used " + (namespaced ? "without" : "with"));
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            byte domain = in.readByte();
            long time = in.readLong();
            Object key = keySerializer.deserialize(in);
            Object namespace = namespaced ? namespaceSerializer.deserialize(in) : VoidNamespace.INSTANCE;
            TimerQueue queue = domain == EVENT_TIME ? queues.eventTime() : queues.processingTime();
            queue.add(new TimerQueue.Timer(time, key, namespace));
        }
    }
}
