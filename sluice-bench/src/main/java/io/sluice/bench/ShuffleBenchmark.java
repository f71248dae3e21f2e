package io.sluice.bench;

import io.sluice.api.types.Types;
import io.sluice.network.ClusterToken;
import io.sluice.network.ConnectionManager;
import io.sluice.network.InputChannels;
import io.sluice.network.JobId;
import io.sluice.network.NetworkConfig;
import io.sluice.network.NetworkServer;
import io.sluice.network.NetworkThreads;
import io.sluice.network.RemoteChannelId;
import io.sluice.network.RemoteInputChannel;
import io.sluice.network.RemoteOutputChannel;
import io.sluice.runtime.channel.ChannelElement;
import io.sluice.runtime.channel.ControlEvent;
import io.sluice.runtime.channel.RecordBatch;
import io.sluice.runtime.channel.Wakeup;
import io.sluice.runtime.plan.ChannelId;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Raw shuffle throughput over loopback: {@code Long} records in batches of 512 through one credit-based remote
 * channel ({@code sluice-network}: serialized with the edge's serializer, framed, sent against credits, read back on
 * a consumer thread), beside a plain loopback TCP copy of the same payload bytes (the physical limit here). Rounds
 * alternate; prints medians and their ratio. Reported, never asserted.
 *
 * <p>{@code bin/sluice bench shuffle [records] [rounds] [credits]} (defaults 20,000,000, 5, 8).
 */
public final class ShuffleBenchmark {
    private static final int BATCH = 512;

    public static void main(String[] args) throws Exception {
        String[] a = BenchSupport.positional(args);
        long records = a.length > 0 ? Long.parseLong(a[0]) : 20_000_000L;
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 5;
        int credits = a.length > 2 ? Integer.parseInt(a[2]) : 8;
        System.out.println("shuffle: " + records + " Long records, batches of " + BATCH + ", " + credits + " credits, "
                + rounds + " rounds; " + BenchSupport.machine());
        List<Double> network = new ArrayList<>();
        List<Double> tcp = new ArrayList<>();
        for (int r = 0; r < rounds + 1; r++) { // the first round warms both up and is not counted
            double n = networkRecordsPerSecond(records, credits);
            double t = tcpRecordsPerSecond(records);
            if (r > 0) {
                network.add(n);
                tcp.add(t);
            }
            System.out.printf("round %d%s: network %.1f M records/s, raw TCP %.1f M records/s (%.0f MB/s)%n", r,
                    r == 0 ? " (warm-up)" : "", n / 1e6, t / 1e6, t * 8 / 1e6);
        }
        double nm = BenchSupport.median(network);
        double tm = BenchSupport.median(tcp);
        System.out.printf("RESULT shuffle network %.1f M records/s (%.0f MB/s payload), raw TCP %.1f M records/s "
                + "(%.0f MB/s), network/TCP %.2f%n", nm / 1e6, nm * 8 / 1e6, tm / 1e6, tm * 8 / 1e6, nm / tm);
    }

    /** One channel over loopback: a producer thread (this one) and a consumer thread. */
    private static double networkRecordsPerSecond(long records, int credits) throws Exception {
        NetworkConfig config = NetworkConfig.defaults();
        ClusterToken token = ClusterToken.random();
        try (NetworkThreads threads = NetworkThreads.start(config); InputChannels inputs = new InputChannels()) {
            try (NetworkServer server = NetworkServer.start(threads, config, token, inputs);
                    ConnectionManager client = new ConnectionManager(threads, config, token)) {
                RemoteChannelId id = new RemoteChannelId(JobId.random(), 0, new ChannelId(0, 0, 0));
                Wakeup wakeup = new Wakeup();
                RemoteInputChannel in = inputs.register(id, Types.LONG, credits, wakeup);
                RemoteOutputChannel out = client.openOutput(server.address(), id, Types.LONG);
                long[] received = new long[1];
                Thread consumer = new Thread(() -> consume(in, wakeup, received), "sluice bench: shuffle consumer");
                long start = System.nanoTime();
                consumer.start();
                long next = 0;
                while (next < records) {
                    int n = (int) Math.min(BATCH, records - next);
                    Object[] values = new Object[n];
                    long[] timestamps = new long[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = next++;
                        timestamps[i] = Long.MIN_VALUE;
                    }
                    offer(out, RecordBatch.of(values, timestamps));
                }
                offer(out, ControlEvent.EndOfInput.INSTANCE);
                consumer.join(TimeUnit.MINUTES.toMillis(5));
                long nanos = System.nanoTime() - start;
                if (received[0] != records) {
                    throw new IllegalStateException("the consumer received " + received[0] + " of " + records + " records");
                }
                return records / (nanos / 1e9);
            }
        }
    }

    private static void offer(RemoteOutputChannel out, ChannelElement element) throws InterruptedException {
        while (!out.offer(element, 100, TimeUnit.MILLISECONDS)) {
            // backpressure: wait for credit
        }
    }

    private static void consume(RemoteInputChannel in, Wakeup wakeup, long[] received) {
        long count = 0;
        while (true) {
            ChannelElement e = in.poll();
            if (e == null) {
                wakeup.prepareToSleep();
                if (in.isEmpty()) {
                    wakeup.sleep(TimeUnit.MILLISECONDS.toNanos(10));
                } else {
                    wakeup.cancelSleep();
                }
                continue;
            }
            if (e instanceof RecordBatch batch) {
                count += batch.size();
            } else if (e instanceof ControlEvent.EndOfInput) {
                received[0] = count;
                return;
            }
        }
    }

    /** The same payload (8 bytes a record) over a plain loopback socket, buffered in 64 KiB. */
    private static double tcpRecordsPerSecond(long records) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long[] sum = new long[1];
            Thread reader = new Thread(() -> {
                try (Socket s = server.accept();
                        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16))) {
                    long total = 0;
                    for (long i = 0; i < records; i++) {
                        total += in.readLong();
                    }
                    sum[0] = total;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "sluice bench: tcp reader");
            long start = System.nanoTime();
            reader.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16))) {
                for (long i = 0; i < records; i++) {
                    out.writeLong(i);
                }
            }
            reader.join(TimeUnit.MINUTES.toMillis(5));
            long nanos = System.nanoTime() - start;
            if (sum[0] != records * (records - 1) / 2) {
                throw new IllegalStateException("the TCP reader summed " + sum[0]);
            }
            return records / (nanos / 1e9);
        }
    }
}
