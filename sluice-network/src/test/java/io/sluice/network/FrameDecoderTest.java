package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Framing: frames come out whole however the bytes arrive, and a bad length stops the connection's framing. */
@ExtendWith(LeakDetection.class)
class FrameDecoderTest {

    @Test
    void framesComeOutWholeHoweverTheBytesArrive() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(64));
        try {
            byte[] stream = {0, 0, 0, 2, 7, 1, 0, 0, 0, 1, 5, 0, 0};
            for (byte b : stream) { // one byte at a time
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
            assertFrame(channel.readInbound(), 7, 1);
            assertFrame(channel.readInbound(), 5);
            assertNull(channel.readInbound(), "the third frame is not whole yet");
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 1, 9}));
            assertFrame(channel.readInbound(), 9);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aFrameOverTheLimitIsAViolationAndNothingAfterItIsFramed() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(64));
        try {
            DecoderException e = assertThrows(DecoderException.class,
                    () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 65, 1, 2, 3})));
            assertEquals("a frame of 65 bytes, over the limit of 64", Connections.violation(e).getMessage());
            assertFalse(channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 4})),
                    "a well-formed frame after it is discarded");
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void anEmptyOrNegativeLengthIsAViolation() {
        for (byte[] bytes : new byte[][] {{0, 0, 0, 0}, {(byte) 0xff, 0, 0, 0}}) {
            EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(64));
            try {
                DecoderException e = assertThrows(DecoderException.class,
                        () -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)));
                assertTrue(Connections.violation(e).getMessage().startsWith("a frame length of "), e.getMessage());
            } finally {
                channel.finishAndReleaseAll();
            }
        }
    }

    @Test
    void theLimitCanBeRaisedForTheFramesAfterTheHandshake() {
        FrameDecoder decoder = new FrameDecoder(4);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 1}));
            assertFrame(channel.readInbound(), 1);
            decoder.setMaxFrameBytes(8);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8}));
            assertFrame(channel.readInbound(), 1, 2, 3, 4, 5, 6, 7, 8);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static void assertFrame(ByteBuf frame, int... bytes) {
        try {
            assertEquals(bytes.length, frame.readableBytes());
            for (int b : bytes) {
                assertEquals(b, frame.readByte());
            }
        } finally {
            frame.release();
        }
    }
}
