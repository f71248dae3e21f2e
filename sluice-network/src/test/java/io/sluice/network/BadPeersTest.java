package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.api.types.Types;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Peers that do not follow the protocol: each is refused or its frames dropped, with one log line, while a well-behaved
 * producer's channel on the same server goes on delivering before and after.
 */
@ExtendWith(LeakDetection.class)
class BadPeersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final JobId job = JobId.random();

    /** A channel of a well-behaved producer, checked before and after each bad peer. */
    private static final class GoodChannel implements AutoCloseable {
        final RemoteInputChannel in;
        final RemoteOutputChannel out;
        final Wakeup wakeup;
        int next;

        GoodChannel(Loopback net, RemoteChannelId id) throws Exception {
            Loopback.Link link = net.link(id, Types.INT, 2);
            in = link.in();
            out = link.out();
            wakeup = link.wakeup();
        }

        /** Sends a record and reads it back. */
        void delivers() throws InterruptedException {
            int record = next++;
            Elements.send(out, Elements.batch(record), TIMEOUT);
            assertEquals(List.of(record + "@" + Long.MIN_VALUE), Elements.flatten(List.of(
                    Elements.next(in, wakeup, Duration.ofMillis(50), System.nanoTime() + TIMEOUT.toNanos()))));
        }

        @Override
        public void close() {
            in.close();
        }
    }

    private RemoteChannelId channel(int attempt, int producer) {
        return new RemoteChannelId(job, attempt, new ChannelId(0, producer, 0));
    }

    @Test
    void aWrongTokenIsRefused() throws Exception {
        try (Loopback net = Loopback.start(); GoodChannel good = new GoodChannel(net, channel(0, 0));
                ConnectionManager impostor = new ConnectionManager(net.threads, net.config, ClusterToken.random())) {
            good.delivers();
            IOException e = assertThrows(IOException.class,
                    () -> impostor.openOutput(net.server.address(), channel(0, 1), Types.INT));
            assertTrue(e.getMessage().contains("cannot open a data connection to " + net.server.address())
                    && e.getMessage().contains("wrong cluster token"), e.getMessage());
            awaitTrue(() -> net.server.events().refusedConnections() == 1, "the refusal is counted");
            assertLogged(net, "refused the data connection from", "it presented a wrong cluster token");
            good.delivers();
        }
    }

    @Test
    void aMissingTokenIsRefused() throws Exception {
        try (Loopback net = Loopback.start(); GoodChannel good = new GoodChannel(net, channel(0, 0))) {
            NetworkConfig impatient = net.config.withHandshakeTimeout(Duration.ofMillis(200));
            try (NetworkServer server = NetworkServer.start(net.threads, impatient, net.token, net.inputs);
                    RawPeer silent = new RawPeer(server.address())) {
                assertTrue(silent.closedByServer(), "a peer that sends nothing is closed after the handshake timeout");
                awaitTrue(() -> server.events().recent().stream().anyMatch(l -> l.contains("refused the data connection"
                        + " from") && l.contains("it sent no handshake within 200 ms")), "the refusal is logged");
            }
            try (RawPeer empty = new RawPeer(net.server.address())) {
                empty.send(Handshake.encode(ByteBufAllocator.DEFAULT, ClusterToken.random())
                        .setShort(Frames.LENGTH_BYTES + 1 + 4 + 2, 0).writerIndex(Frames.LENGTH_BYTES + 9)
                        .setInt(0, 9)); // the same handshake cut after a token length of 0
                assertTrue(empty.closedByServer());
            }
            assertLogged(net, "refused the data connection from", "it presented no cluster token");
            try (RawPeer early = new RawPeer(net.server.address())) {
                early.send(Frames.open(ByteBufAllocator.DEFAULT, channel(0, 9)));
                assertTrue(early.closedByServer(), "a frame before the handshake is refused");
            }
            assertLogged(net, "refused the data connection from", "its first frame was OPEN, not a handshake");
            assertEquals(2, net.server.events().refusedConnections());
            good.delivers();
        }
    }

    @Test
    void garbageIsRefusedBeforeAndAfterTheHandshake() throws Exception {
        Random random = new Random(42);
        try (Loopback net = Loopback.start(); GoodChannel good = new GoodChannel(net, channel(0, 0))) {
            good.delivers();
            for (int i = 0; i < 5; i++) {
                byte[] garbage = new byte[64 + random.nextInt(2000)];
                random.nextBytes(garbage);
                try (RawPeer peer = new RawPeer(net.server.address())) {
                    peer.send(garbage);
                    assertTrue(peer.closedByServer(), "garbage " + i + " closes its connection");
                }
            }
            awaitTrue(() -> net.server.events().refusedConnections() == 5, "each garbage connection refused once");
            try (RawPeer peer = new RawPeer(net.server.address()).handshake(net.token)) {
                peer.send(new byte[] {0, 0, 0, 3, 99, 1, 2}); // a frame of unknown type 99, after the handshake
                assertTrue(peer.closedByServer());
            }
            awaitTrue(() -> net.server.events().protocolViolations() == 1, "the violation is counted");
            assertLogged(net, "which broke the protocol", "a frame of unknown type 99");
            good.delivers();
        }
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItIsBuffered() throws Exception {
        try (Loopback net = Loopback.start(); GoodChannel good = new GoodChannel(net, channel(0, 0))) {
            try (RawPeer peer = new RawPeer(net.server.address())) {
                peer.send(Unpooled.buffer().writeInt(Handshake.MAX_FRAME_BYTES + 1).writeByte(1));
                assertTrue(peer.closedByServer(), "longer than any handshake");
            }
            assertLogged(net, "refused the data connection from",
                    "a frame of " + (Handshake.MAX_FRAME_BYTES + 1) + " bytes, over the limit of "
                            + Handshake.MAX_FRAME_BYTES);
            try (RawPeer peer = new RawPeer(net.server.address()).handshake(net.token)) {
                peer.send(Unpooled.buffer().writeInt(Integer.MAX_VALUE).writeByte(FrameType.DATA.code));
                assertTrue(peer.closedByServer(), "longer than the frame limit, announced by an authenticated peer");
            }
            assertLogged(net, "which broke the protocol", "a frame of " + Integer.MAX_VALUE
                    + " bytes, over the limit of " + net.config.maxFrameBytes());
            good.delivers();
        }
    }

    @Test
    void piecesOfAnElementBeyondTheRecordLimitOrUnknownFlagsAreRefused() throws Exception {
        NetworkConfig config = NetworkConfig.defaults().withHandshakeTimeout(Duration.ofSeconds(2))
                .withBufferBytes(1024).withMaxRecordBytes(4096);
        try (Loopback net = Loopback.start(config); GoodChannel good = new GoodChannel(net, channel(0, 0))) {
            RemoteChannelId id = channel(0, 1);
            RemoteInputChannel in = net.inputs.register(id, Types.INT, 1, new Wakeup());
            try (RawPeer peer = new RawPeer(net.server.address()).handshake(net.token)) {
                peer.send(Frames.open(ByteBufAllocator.DEFAULT, id));
                peer.readFrame().release(); // the grant of one credit
                for (int sequence = 0; sequence < 5; sequence++) { // 5 full pieces: more than 4096 bytes, never ending
                    ByteBuf piece = Frames.beginData(ByteBufAllocator.DEFAULT, id, Frames.MORE, 1024);
                    piece.setLong(Frames.SEQUENCE_OFFSET, sequence);
                    peer.send(Frames.finish(piece.writeZero(1024)));
                }
                assertTrue(peer.closedByServer());
            }
            assertLogged(net, "which broke the protocol", "longer than the record limit of 4096 bytes");
            try (RawPeer peer = new RawPeer(net.server.address()).handshake(net.token)) {
                ByteBuf odd = Frames.beginData(ByteBufAllocator.DEFAULT, channel(0, 2), (byte) 6, 1);
                peer.send(Frames.finish(odd.writeByte(0)));
                assertTrue(peer.closedByServer());
            }
            assertLogged(net, "which broke the protocol", "with unknown flags 6");
            good.delivers();
            in.close();
        }
    }

    @Test
    void framesOfAnOlderAttemptAreDroppedAndTheConnectionServesOn() throws Exception {
        try (Loopback net = Loopback.start()) {
            net.inputs.startAttempt(job, 1);
            RemoteChannelId current = channel(1, 0);
            RemoteChannelId old = current.inAttempt(0);
            Wakeup wakeup = new Wakeup();
            RemoteInputChannel in = net.inputs.register(current, Types.INT, 2, wakeup);
            try (RawPeer peer = new RawPeer(net.server.address()).handshake(net.token)) {
                peer.send(Frames.open(ByteBufAllocator.DEFAULT, old));
                ByteBuf refusal = peer.readFrame();
                assertEquals(FrameType.CLOSE, FrameType.of(refusal.readByte()), "the old attempt's opening is refused");
                assertEquals(new Frames.Closing(old, CloseReason.STALE_ATTEMPT), Frames.readClosing(refusal));
                peer.send(Frames.open(ByteBufAllocator.DEFAULT, current));
                ByteBuf grant = peer.readFrame();
                assertEquals(FrameType.CREDIT, FrameType.of(grant.readByte()));
                assertEquals(new Frames.Count(current, 2), Frames.readCount(grant, FrameType.CREDIT));

                peer.send(data(old, 0, 666)); // in flight from the old attempt: must never reach the new one
                peer.send(data(old, 1, 667));
                peer.send(data(current, 0, 1));
                peer.send(data(current, 1, ControlEvent.EndOfInput.INSTANCE));
                assertEquals(List.of("1@" + Long.MIN_VALUE, "EndOfInput[]"),
                        Elements.flatten(Elements.untilEnd(in, wakeup, Duration.ofMillis(50), TIMEOUT)));
            }
            assertEquals(2, net.server.events().staleFrames());
            assertEquals(0, net.server.events().protocolViolations());
            assertLogged(net, "drops the data frames of job " + job + ", attempt 0",
                    "the job's current attempt here is 1");
            assertEquals(1, net.server.events().recent().stream().filter(l -> l.contains("drops")).count(),
                    "logged once");
            in.close();
        }
    }

    @Test
    void aNewAttemptSupersedesTheChannelsOfTheOldOne() throws Exception {
        try (Loopback net = Loopback.start()) {
            RemoteChannelId old = channel(0, 3);
            Wakeup wakeup = new Wakeup();
            RemoteInputChannel oldIn = net.inputs.register(old, Types.INT, 2, wakeup);
            RemoteOutputChannel oldOut = net.client.openOutput(net.server.address(), old, Types.INT);
            Elements.send(oldOut, Elements.batch(1), TIMEOUT);
            Elements.next(oldIn, wakeup, Duration.ofMillis(50), System.nanoTime() + TIMEOUT.toNanos()); // bound

            RemoteInputChannel newIn = net.inputs.register(old.inAttempt(1), Types.INT, 2, wakeup);
            RemoteChannelException e = assertThrows(RemoteChannelException.class, oldIn::poll);
            assertTrue(e.getMessage().contains("superseded by attempt 1") && e.getMessage().contains("attempt 0"),
                    e.getMessage());
            IllegalStateException late = assertThrows(IllegalStateException.class,
                    () -> net.inputs.register(channel(0, 4), Types.INT, 2, wakeup));
            assertTrue(late.getMessage().contains("the job's current attempt here is 1"), late.getMessage());
            RemoteChannelException stopped = Elements.failureOf(oldOut, Elements.batch(2), TIMEOUT);
            assertTrue(stopped.getMessage().contains("a newer attempt of the job superseded it"), stopped.getMessage());
            oldIn.close();
            newIn.close();
        }
    }

    private static ByteBuf data(RemoteChannelId id, long sequence, Object elementOrRecord) throws IOException {
        ByteBuf frame = Frames.beginData(ByteBufAllocator.DEFAULT, id, (byte) 0, 16);
        frame.setLong(Frames.SEQUENCE_OFFSET, sequence);
        new ChannelCodec(Types.INT).encode(elementOrRecord instanceof ControlEvent event ? event
                : Elements.batch(elementOrRecord), frame);
        return Frames.finish(frame);
    }

    private static void assertLogged(Loopback net, String... parts) throws InterruptedException {
        awaitTrue(() -> net.server.events().recent().stream()
                .anyMatch(line -> List.of(parts).stream().allMatch(line::contains)),
                "a line with " + List.of(parts) + " in " + net.server.events().recent());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + TIMEOUT + ": " + what);
            }
            Thread.sleep(5);
        }
    }
}
