package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.sluice.api.types.TypeSerializer;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.RecordBatch;
import io.sluice.runtime.state.SnapshotKind;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The bytes of a {@link ChannelElement}: one kind byte, then
 * <ul>
 *   <li>record batch: {@code int count}, {@code byte timestamps} (0: no record has one, 1: each record is preceded by
 *       its {@code long} timestamp), the records as the edge's {@link TypeSerializer} writes them (the size that
 *       {@link io.sluice.runtime.channel.BatchSizer} counts when it closes a batch at one buffer);</li>
 *   <li>watermark: {@code long}; watermark status: {@code byte} idle; barrier: {@code long} checkpoint id,
 *       {@code byte} kind; cancel checkpoint: {@code long}; end of input: nothing.</li>
 * </ul>
 * No Java serialization: records are the job's own serializer's bytes, events a fixed layout. An element read back
 * equals the one written (a batch: the same records and timestamps, in order), and reading consumes exactly its
 * bytes; anything else in a frame is an error.
 *
 * <p>Threading: as thread-safe as the serializer, which {@link TypeSerializer} requires to be thread-safe; the
 * producer's thread encodes, the consumer's thread decodes.
 */
public final class ChannelCodec {
    /** More records in one batch than this is read as a corrupt count rather than allocated. */
    static final int MAX_RECORDS_PER_BATCH = 1 << 20;

    private static final byte BATCH = 0;
    private static final byte WATERMARK = 1;
    private static final byte WATERMARK_STATUS = 2;
    private static final byte BARRIER = 3;
    private static final byte CANCEL_CHECKPOINT = 4;
    private static final byte END_OF_INPUT = 5;

    private static final byte NO_TIMESTAMPS = 0;
    private static final byte TIMESTAMPS = 1;

    private final TypeSerializer<Object> serializer;

    @SuppressWarnings("unchecked")
    public ChannelCodec(TypeSerializer<?> serializer) {
        this.serializer = (TypeSerializer<Object>) serializer;
    }

    /** The serializer's type name, for messages. */
    String typeName() {
        return serializer.typeName();
    }

    /** Writes {@code element} whole. */
    public void encode(ChannelElement element, ByteBuf out) throws IOException {
        switch (element) {
            case RecordBatch batch -> encodeBatch(batch, 0, out, Integer.MAX_VALUE);
            case ControlEvent event -> encodeEvent(event, out);
        }
    }

    /**
     * Writes the records of {@code batch} from index {@code from} on, as many as fit in {@code maxBytes} (counted
     * from where {@code out} was), at least one: a part whose first record alone needs more than {@code maxBytes}
     * holds that record only (the caller spans it over several frames). Returns the index of the first record not
     * written ({@code batch.size()} when all were); {@code from} if {@code out} cannot grow enough for the record at
     * {@code from} (its {@link ByteBuf#maxCapacity()}), which then wrote nothing.
     */
    int encodeBatch(RecordBatch batch, int from, ByteBuf out, int maxBytes) throws IOException {
        int start = out.writerIndex();
        int size = batch.size();
        boolean timestamps = false;
        for (int i = from; i < size && !timestamps; i++) {
            timestamps = batch.timestamp(i) != Long.MIN_VALUE;
        }
        out.writeByte(BATCH);
        int countAt = out.writerIndex();
        out.writeInt(0);
        out.writeByte(timestamps ? TIMESTAMPS : NO_TIMESTAMPS);
        DataOutput data = new ByteBufOutputStream(out);
        int end = Math.min(size, from + MAX_RECORDS_PER_BATCH);
        int i = from;
        for (; i < end; i++) {
            int recordStart = out.writerIndex();
            try {
                if (timestamps) {
                    out.writeLong(batch.timestamp(i));
                }
                serializer.serialize(batch.record(i), data);
            } catch (IOException | RuntimeException e) {
                if (!overflowed(e, out)) {
                    throw new IOException("record " + (i + 1) + " of a batch of " + size + " cannot be written: " + e, e);
                }
                out.writerIndex(recordStart); // no room for this record in out: it starts the next part
                if (i == from) {
                    out.writerIndex(start);
                    return from; // not even alone: the caller writes it where there is room
                }
                break;
            }
            if (out.writerIndex() - start > maxBytes) {
                if (i == from) {
                    i++; // a record larger than a buffer: a part of its own, which spans frames
                } else {
                    out.writerIndex(recordStart); // this record starts the next part
                }
                break;
            }
        }
        out.setInt(countAt, i - from);
        return i;
    }

    /**
     * Whether {@code e}, thrown while a record was written to {@code out}, means only that {@code out} reached its
     * capacity limit (a frame capped at two buffers, a spanning record's buffer capped at the record limit).
     */
    static boolean overflowed(Throwable e, ByteBuf out) {
        if (out.maxCapacity() == Integer.MAX_VALUE) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IndexOutOfBoundsException) {
                return true;
            }
        }
        return false;
    }

    private static void encodeEvent(ControlEvent event, ByteBuf out) {
        switch (event) {
            case ControlEvent.Watermark w -> out.writeByte(WATERMARK).writeLong(w.timestamp());
            case ControlEvent.WatermarkStatus s -> out.writeByte(WATERMARK_STATUS).writeByte(s.idle() ? 1 : 0);
            case ControlEvent.Barrier b -> out.writeByte(BARRIER).writeLong(b.checkpointId()).writeByte(switch (b.kind()) {
                case CHECKPOINT -> 0;
                case SAVEPOINT -> 1;
            });
            case ControlEvent.CancelCheckpoint c -> out.writeByte(CANCEL_CHECKPOINT).writeLong(c.checkpointId());
            case ControlEvent.EndOfInput e -> out.writeByte(END_OF_INPUT);
        }
    }

    /**
     * Reads one element, which must be all that {@code in} holds.
     *
     * @throws IOException if the bytes are not an element: an unknown kind, a record the serializer cannot read, too
     *                     few or too many bytes
     */
    public ChannelElement decode(ByteBuf in) throws IOException {
        ChannelElement element;
        try {
            byte kind = in.readByte();
            element = switch (kind) {
                case BATCH -> decodeBatch(in);
                case WATERMARK -> new ControlEvent.Watermark(in.readLong());
                case WATERMARK_STATUS -> status(in.readByte());
                case BARRIER -> new ControlEvent.Barrier(in.readLong(), snapshotKind(in.readByte()));
                case CANCEL_CHECKPOINT -> new ControlEvent.CancelCheckpoint(in.readLong());
                case END_OF_INPUT -> ControlEvent.EndOfInput.INSTANCE;
                default -> throw new IOException("unknown element kind " + kind);
            };
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("an element cut short", e);
        }
        if (in.isReadable()) {
            throw new IOException(in.readableBytes() + " bytes after the end of a " + element.getClass().getSimpleName());
        }
        return element;
    }

    private RecordBatch decodeBatch(ByteBuf in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_RECORDS_PER_BATCH) {
            throw new IOException("a batch of " + count + " records");
        }
        byte mode = in.readByte();
        if (mode != NO_TIMESTAMPS && mode != TIMESTAMPS) {
            throw new IOException("unknown timestamp mode " + mode);
        }
        Object[] records = new Object[count];
        long[] timestamps = new long[count];
        DataInput data = new ByteBufInputStream(in);
        for (int i = 0; i < count; i++) {
            try {
                timestamps[i] = mode == TIMESTAMPS ? in.readLong() : Long.MIN_VALUE;
                records[i] = serializer.deserialize(data);
            } catch (IOException | RuntimeException e) {
                throw new IOException("record " + (i + 1) + " of a batch of " + count + " cannot be read: " + e, e);
            }
        }
        return RecordBatch.of(records, timestamps);
    }

    private static ControlEvent.WatermarkStatus status(byte idle) throws IOException {
        return switch (idle) {
            case 0 -> ControlEvent.WatermarkStatus.ACTIVE;
            case 1 -> ControlEvent.WatermarkStatus.IDLE;
            default -> throw new IOException("unknown watermark status " + idle);
        };
    }

    private static SnapshotKind snapshotKind(byte code) throws IOException {
        return switch (code) {
            case 0 -> SnapshotKind.CHECKPOINT;
            case 1 -> SnapshotKind.SAVEPOINT;
            default -> throw new IOException("unknown snapshot kind " + code);
        };
    }
}
