package io.sluice.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.types.Types;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;
import io.sluice.runtime.state.SnapshotKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many channels over two servers' connections, each with its own credits, producer pace and consumer speed (some
 * consumers stall for a while): every channel delivers exactly what its producer sent, records and events in order,
 * and never holds more than its credits. A failure names the seed; {@code -Dsluice.test.seeds=N} runs more.
 */
@ExtendWith(LeakDetection.class)
class RandomChannelsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sluice.test.seeds", 4));
    }

    /** One channel's plan: its credits, what its producer sends, how its two ends pace themselves. */
    private record Script(RemoteChannelId id, int credits, List<ChannelElement> elements, long producerSeed,
            long consumerSeed, int consumerPauseMicros, boolean stalls) {}

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyChannelDeliversExactlyItsSequence(long seed) throws Exception {
        Random random = new Random(seed);
        JobId job = JobId.random();
        try (Loopback net = Loopback.start();
                NetworkServer second = NetworkServer.start(net.threads, net.config, net.token, net.inputs)) {
            int channels = 4 + random.nextInt(9);
            List<Script> scripts = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                RemoteChannelId id = new RemoteChannelId(job, 0, new ChannelId(random.nextInt(3), c, random.nextInt(4)));
                scripts.add(new Script(id, 1 + random.nextInt(4), randomElements(random, c), random.nextLong(),
                        random.nextLong(), random.nextInt(200), random.nextInt(4) == 0));
            }
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            List<RemoteInputChannel> inputs = new ArrayList<>();
            List<RemoteOutputChannel> outputs = new ArrayList<>();
            List<List<ChannelElement>> received = new ArrayList<>();
            Set<NetworkServer> servers = new HashSet<>();
            for (Script s : scripts) {
                Wakeup wakeup = new Wakeup();
                RemoteInputChannel in = net.inputs.register(s.id(), Types.LONG, s.credits(), wakeup);
                NetworkServer server = random.nextBoolean() ? net.server : second;
                servers.add(server);
                RemoteOutputChannel out = net.client.openOutput(server.address(), s.id(), Types.LONG);
                List<ChannelElement> got = new ArrayList<>();
                inputs.add(in);
                outputs.add(out);
                received.add(got);
                threads.add(start("producer " + s.id().channel(), errors, () -> produce(s, out)));
                threads.add(start("consumer " + s.id().channel(), errors, () -> consume(s, in, wakeup, got)));
            }
            for (Thread t : threads) {
                t.join(TIMEOUT.toMillis());
                assertTrue(!t.isAlive(), "seed " + seed + ": " + t.getName() + " did not finish within " + TIMEOUT);
            }
            assertTrue(errors.isEmpty(), "seed " + seed + ": " + errors);
            for (int c = 0; c < scripts.size(); c++) {
                Script s = scripts.get(c);
                assertEquals(Elements.flatten(s.elements()), Elements.flatten(received.get(c)),
                        "seed " + seed + ": " + s.id());
                assertTrue(inputs.get(c).maxOccupancy() <= s.credits(), "seed " + seed + ": " + s.id() + " held "
                        + inputs.get(c).maxOccupancy() + " elements with " + s.credits() + " credits");
                assertTrue(outputs.get(c).maxOccupancy() <= s.credits(), "seed " + seed + ": " + s.id() + " had "
                        + outputs.get(c).maxOccupancy() + " frames in flight with " + s.credits() + " credits");
                inputs.get(c).close();
            }
            assertEquals(0, net.server.events().protocolViolations() + second.events().protocolViolations(),
                    "seed " + seed);
            for (NetworkServer server : List.of(net.server, second)) {
                assertEquals(servers.contains(server) ? 1 : 0, server.connectionCount(),
                        "seed " + seed + ": one connection per server used");
            }
        }
    }

    private static void produce(Script s, RemoteOutputChannel out) throws InterruptedException {
        Random pace = new Random(s.producerSeed());
        for (ChannelElement e : s.elements()) {
            Elements.send(out, e, TIMEOUT);
            if (pace.nextInt(8) == 0) {
                LockSupport.parkNanos(pace.nextInt(300_000));
            }
        }
    }

    private static void consume(Script s, RemoteInputChannel in, Wakeup wakeup, List<ChannelElement> got) {
        Random pace = new Random(s.consumerSeed());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int stallAt = s.stalls() ? pace.nextInt(s.elements().size()) : -1;
        ChannelElement e;
        do {
            if (got.size() == stallAt) {
                LockSupport.parkNanos(50_000_000); // the producer fills the credits and waits; the others go on
            } else if (s.consumerPauseMicros() > 0 && pace.nextInt(4) == 0) {
                LockSupport.parkNanos(pace.nextInt(s.consumerPauseMicros()) * 1000L);
            }
            e = Elements.next(in, wakeup, Duration.ofMillis(pace.nextInt(20) + 1), deadline);
            got.add(e);
        } while (!(e instanceof ControlEvent.EndOfInput));
    }

    /** Batches of records {@code channel * 1e9 + n}, among watermarks, idleness, barriers and cancels; then the end. */
    private static List<ChannelElement> randomElements(Random random, int channel) {
        List<ChannelElement> elements = new ArrayList<>();
        long record = channel * 1_000_000_000L;
        long watermark = 0;
        long checkpoint = 0;
        for (int n = 50 + random.nextInt(250); n > 0; n--) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                int size = 1 + random.nextInt(64);
                Object[] records = new Object[size];
                long[] timestamps = new long[size];
                boolean timed = random.nextBoolean();
                for (int i = 0; i < size; i++) {
                    records[i] = record++;
                    timestamps[i] = timed ? watermark + random.nextInt(1000) : Long.MIN_VALUE;
                }
                elements.add(Elements.batch(records, timestamps));
            } else if (kind == 6) {
                elements.add(new ControlEvent.Watermark(watermark += random.nextInt(500)));
            } else if (kind == 7) {
                elements.add(random.nextBoolean() ? ControlEvent.WatermarkStatus.IDLE : ControlEvent.WatermarkStatus.ACTIVE);
            } else if (kind == 8) {
                elements.add(new ControlEvent.Barrier(++checkpoint,
                        random.nextInt(5) == 0 ? SnapshotKind.SAVEPOINT : SnapshotKind.CHECKPOINT));
            } else {
                elements.add(new ControlEvent.CancelCheckpoint(checkpoint));
            }
        }
        elements.add(ControlEvent.EndOfInput.INSTANCE);
        return elements;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, Queue<Throwable> errors, Body body) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                errors.add(t);
            }
        });
    }
}
