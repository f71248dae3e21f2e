package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.runtime.channel.BatchSizer;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.RecordBatch;
import io.sluice.runtime.state.SnapshotKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of channel element survives its bytes exactly, and bytes that are not an element are refused. */
@ExtendWith(LeakDetection.class)
class ChannelCodecTest {

    record Bid(long auction, String bidder, List<Integer> tags, Optional<String> note, String payload) {}

    private static final TypeSerializer<Bid> BIDS = Types.of(Bid.class);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sluice.test.seeds", 20));
    }

    @Test
    void everyControlEventRoundTrips() throws IOException {
        ChannelCodec codec = new ChannelCodec(Types.LONG);
        List<ControlEvent> events = List.of(
                new ControlEvent.Watermark(Long.MIN_VALUE), new ControlEvent.Watermark(-5),
                new ControlEvent.Watermark(0), new ControlEvent.Watermark(Long.MAX_VALUE),
                ControlEvent.WatermarkStatus.IDLE, ControlEvent.WatermarkStatus.ACTIVE,
                new ControlEvent.Barrier(1), new ControlEvent.Barrier(Long.MAX_VALUE, SnapshotKind.SAVEPOINT),
                new ControlEvent.Barrier(42, SnapshotKind.CHECKPOINT),
                new ControlEvent.CancelCheckpoint(7), new ControlEvent.CancelCheckpoint(0),
                ControlEvent.EndOfInput.INSTANCE);
        for (ControlEvent event : events) {
            assertEquals(event, roundTrip(codec, event), "event " + event);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomBatchesRoundTrip(long seed) throws IOException {
        Random random = new Random(seed);
        ChannelCodec codec = new ChannelCodec(BIDS);
        for (int round = 0; round < 20; round++) {
            RecordBatch batch = randomBatch(random, random.nextInt(40));
            ChannelElement back = roundTrip(codec, batch);
            assertEquals(Elements.flatten(List.of(batch)), Elements.flatten(List.of(back)),
                    "seed " + seed + ", round " + round);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aBatchEncodedInPartsHoldsEveryRecordOnceInOrder(long seed) throws IOException {
        Random random = new Random(seed);
        ChannelCodec codec = new ChannelCodec(BIDS);
        RecordBatch batch = randomBatch(random, 1 + random.nextInt(60));
        int limit = 600 + random.nextInt(2000); // a few records per part; a record is at most about 500 bytes
        List<ChannelElement> parts = new ArrayList<>();
        int from = 0;
        while (from < batch.size()) {
            ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
            try {
                int next = codec.encodeBatch(batch, from, buf, limit);
                assertTrue(next > from, "seed " + seed + ": a part holds at least one record");
                assertTrue(buf.readableBytes() <= limit, "seed " + seed + ": a part of " + buf.readableBytes()
                        + " bytes, over the limit of " + limit);
                parts.add(codec.decode(buf));
                from = next;
            } finally {
                buf.release();
            }
        }
        assertEquals(Elements.flatten(List.of(batch)), Elements.flatten(parts), "seed " + seed);
    }

    /**
     * A batch's bytes are what {@link BatchSizer} counts when it closes a batch at one buffer: its header, then each
     * record as its serializer writes it (measured alone), after its timestamp if the batch has any.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aBatchTakesTheBytesThatBatchSizerCounts(long seed) throws IOException {
        Random random = new Random(seed);
        ChannelCodec codec = new ChannelCodec(BIDS);
        RecordBatch batch = randomBatch(random, random.nextInt(40));
        long counted = BatchSizer.BATCH_HEADER_BYTES;
        for (int i = 0; i < batch.size(); i++) {
            java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
            BIDS.serialize((Bid) batch.record(i), new java.io.DataOutputStream(record));
            counted += record.size() + (batch.timestamp(i) != Long.MIN_VALUE ? BatchSizer.TIMESTAMP_BYTES : 0);
        }
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
        try {
            codec.encode(batch, buf);
            assertEquals(counted, buf.readableBytes(), "seed " + seed + ": a batch of " + batch.size() + " records");
        } finally {
            buf.release();
        }
    }

    @Test
    void aRecordLargerThanTheLimitIsAPartOfItsOwnAndTheNextPartStartsAfterIt() throws IOException {
        ChannelCodec codec = new ChannelCodec(Types.BYTES);
        RecordBatch batch = Elements.batch(new byte[10], new byte[5000], new byte[20]);
        List<ChannelElement> parts = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int from = 0; from < batch.size(); ) {
            ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
            try {
                from = codec.encodeBatch(batch, from, buf, 4096);
                sizes.add(buf.readableBytes());
                parts.add(codec.decode(buf));
            } finally {
                buf.release();
            }
        }
        assertEquals(3, parts.size(), "the big record alone in the middle part: " + sizes);
        assertTrue(sizes.get(1) > 4096, "the middle part holds the record whole: " + sizes);
        assertEquals(Elements.flatten(List.of(batch)), Elements.flatten(parts));
    }

    @Test
    void aRecordThatCannotFitInACappedBufferWritesNothing() throws IOException {
        ChannelCodec codec = new ChannelCodec(Types.BYTES);
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(64, 4096);
        try {
            assertEquals(0, codec.encodeBatch(Elements.batch((Object) new byte[5000]), 0, buf, 4096));
            assertEquals(0, buf.writerIndex(), "nothing of the part is left in the buffer");
            assertEquals(1, codec.encodeBatch(Elements.batch(new byte[3000], new byte[3000]), 0, buf, 4096),
                    "the second record does not fit after the first: the next part starts with it");
        } finally {
            buf.release();
        }
    }

    @Test
    void bytesThatAreNotAnElementAreRefused() {
        ChannelCodec codec = new ChannelCodec(Types.LONG);
        assertRefused(codec, new byte[] {}, "cut short");
        assertRefused(codec, new byte[] {9}, "unknown element kind 9");
        assertRefused(codec, new byte[] {1, 0, 0, 0}, "cut short"); // a watermark of 3 bytes
        assertRefused(codec, new byte[] {5, 0}, "1 bytes after the end of a EndOfInput");
        assertRefused(codec, new byte[] {2, 7}, "unknown watermark status 7");
        assertRefused(codec, new byte[] {3, 0, 0, 0, 0, 0, 0, 0, 1, 9}, "unknown snapshot kind 9");
        assertRefused(codec, new byte[] {0, 0x7f, 0, 0, 0, 0}, "a batch of 2130706432 records");
        assertRefused(codec, new byte[] {0, 0, 0, 0, 1, 3}, "unknown timestamp mode 3");
        assertRefused(codec, new byte[] {0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0}, "record 1 of a batch of 2"); // 7 bytes
    }

    private static void assertRefused(ChannelCodec codec, byte[] bytes, String expected) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer().writeBytes(bytes);
        try {
            IOException e = assertThrows(IOException.class, () -> codec.decode(buf));
            assertTrue(e.getMessage().contains(expected), e.getMessage() + " should say " + expected);
        } finally {
            buf.release();
        }
    }

    private static ChannelElement roundTrip(ChannelCodec codec, ChannelElement element) throws IOException {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
        try {
            codec.encode(element, buf);
            return codec.decode(buf);
        } finally {
            buf.release();
        }
    }

    static RecordBatch randomBatch(Random random, int size) {
        Object[] records = new Object[size];
        long[] timestamps = new long[size];
        boolean withTimestamps = random.nextBoolean();
        for (int i = 0; i < size; i++) {
            List<Integer> tags = new ArrayList<>();
            for (int t = random.nextInt(5); t > 0; t--) {
                tags.add(random.nextInt());
            }
            String payload = "x".repeat(random.nextInt(300));
            records[i] = new Bid(random.nextLong(), "bidder-" + random.nextInt(1000) + "-\u00e9\u4e2d", tags,
                    random.nextBoolean() ? Optional.empty() : Optional.of("note " + random.nextInt()), payload);
            timestamps[i] = withTimestamps ? random.nextLong() : Long.MIN_VALUE;
        }
        return RecordBatch.of(records, timestamps);
    }
}
