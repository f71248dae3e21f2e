package io.sluice.bench;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobResult;
import io.sluice.api.functions.Collector;
import io.sluice.api.functions.KeyedProcessFunction;
import io.sluice.api.functions.RuntimeContext;
import io.sluice.api.state.ValueState;
import io.sluice.api.state.ValueStateDescriptor;
import io.sluice.api.types.Types;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Peak resident memory of a job whose keyed state is several times its Java heap: the same Sluice job runs in a child
 * JVM with a small {@code -Xmx}, first on RocksDB state with a fixed memory budget ({@code rocksdb.memory}), then on
 * heap state. The job: a generator of {@code keys × passes} numbers → {@code keyBy(n % keys)} → a keyed process
 * function that reads the key's {@code ValueState<byte[]>} and writes a new {@code value-bytes} array (the first pass
 * inserts every key, later passes read and replace) → a discarding sink; parallelism 1, no checkpoints.
 *
 * <p>The parent samples the child's {@code VmHWM} and {@code VmRSS} ({@code /proc/<pid>/status}) and the size of its
 * RocksDB directory every 100 ms; the child also prints its own {@code VmHWM} just before it exits. A child still
 * running at the timeout is killed and reported as such. Reported, never asserted.
 *
 * <p>Usage: {@code bin/sluice bench rss [keys] [value-bytes] [xmx] [rocksdb-memory] [passes] [timeout-seconds]
 * [backends] [KEY=VALUE...]} (defaults 2,000,000 keys, 100 bytes, 64m, 64mb, 1, 240, {@code rocksdb,heap}); trailing
 * {@code KEY=VALUE} arguments are state backend options for the job. With the defaults the state's raw size (key +
 * value bytes) is 206 MiB, 3.2 × the heap; {@code 8000000 100 256m} is the same ratio at a 256 MiB heap.
 */
public final class RssBenchmark {

    public static void main(String[] allArgs) throws Exception {
        String[] args = BenchSupport.positional(allArgs);
        Map<String, String> stateOptions = BenchSupport.options(allArgs);
        long keys = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String xmx = args.length > 2 ? args[2] : "64m";
        String memory = args.length > 3 ? args[3] : "64mb";
        int passes = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        long timeoutSeconds = args.length > 5 ? Long.parseLong(args[5]) : 240;
        String[] backends = (args.length > 6 ? args[6] : "rocksdb,heap").split(",");
        long heapBytes = BenchSupport.bytes(xmx);
        long raw = keys * (8 + valueBytes);
        System.out.printf(Locale.ROOT, "peak RSS of a keyed job: %,d keys x ValueState<byte[%d]> (raw state %s = %.1f x heap), "
                        + "%d pass(es), child JVM -Xmx%s, RocksDB memory budget %s, parallelism 1%n", keys, valueBytes,
                BenchSupport.mib(raw), raw / (double) heapBytes, passes, xmx, memory);
        System.out.println("parent: " + BenchSupport.machine());
        List<String> results = new ArrayList<>();
        for (String backend : backends) {
            results.add(runChild(backend.trim(), keys, valueBytes, xmx, memory, passes, timeoutSeconds, stateOptions));
        }
        System.out.println();
        results.forEach(System.out::println);
    }

    private static String runChild(String backend, long keys, int valueBytes, String xmx, String memory, int passes,
            long timeoutSeconds, Map<String, String> stateOptions) throws Exception {
        Path stateDir = Files.createTempDirectory("sluice-bench-rss-");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + xmx, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Job.class.getName(), backend, Long.toString(keys),
                Integer.toString(valueBytes), memory, Integer.toString(passes), stateDir.toString()));
        stateOptions.forEach((k, v) -> command.add(k + "=" + v));
        System.out.printf(Locale.ROOT, "%n== %s: %s%n", backend, String.join(" ", command.subList(0, 3)) + " ... "
                + String.join(" ", command.subList(5, command.size())));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        long start = System.nanoTime();
        long hwm = 0;
        long maxDisk = 0;
        long lastPrint = start;
        String killed = null;
        long lastCpu = -1;
        long lastCpuChange = start;
        while (!child.waitFor(100, TimeUnit.MILLISECONDS)) {
            long[] status = status(child.pid());
            if (status[0] > 0) {
                hwm = Math.max(hwm, status[0]);
            }
            maxDisk = Math.max(maxDisk, BenchSupport.directorySize(stateDir));
            long now = System.nanoTime();
            if (now - lastPrint > 5_000_000_000L) {
                lastPrint = now;
                System.out.printf(Locale.ROOT, "  [%s %5.1f s] VmRSS %s  VmHWM %s  RocksDB files %s%n", backend,
                        (now - start) / 1e9, BenchSupport.mib(status[1]), BenchSupport.mib(hwm), BenchSupport.mib(maxDisk));
            }
            long cpu = cpuTicks(child.pid());
            if (cpu != lastCpu) {
                lastCpu = cpu;
                lastCpuChange = now;
            }
            if (now - lastCpuChange > STALL_NANOS) {
                killed = "KILLED: stalled, no CPU time for " + STALL_NANOS / 1_000_000_000L + " s";
            } else if (now - start > timeoutSeconds * 1_000_000_000L) {
                killed = "KILLED at the " + timeoutSeconds + " s timeout";
            }
            if (killed != null) {
                System.out.printf(Locale.ROOT, "  [%s %5.1f s] %s; VmRSS %s  VmHWM %s%n", backend, (now - start) / 1e9,
                        killed, BenchSupport.mib(status[1]), BenchSupport.mib(hwm));
                child.destroyForcibly();
                child.waitFor();
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        BenchSupport.deleteRecursively(stateDir);
        String outcome = killed != null ? killed : "exit " + child.exitValue();
        return String.format(Locale.ROOT, "RESULT backend=%s outcome=\"%s\" wall_s=%.1f xmx=%s rocksdb_memory=%s "
                        + "peak_rss_mib=%.0f peak_rocksdb_files_mib=%.0f", backend, outcome, seconds, xmx,
                backend.equals("rocksdb") ? memory : "-", hwm / (double) (1L << 20), maxDisk / (double) (1L << 20));
    }

    /** A child that used no CPU for this long is hung (e.g. after an OutOfMemoryError in its failure path). */
    private static final long STALL_NANOS = 10_000_000_000L;

    /** User plus system CPU time of process {@code pid} in clock ticks, or -1 once it is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code [VmHWM, VmRSS]} in bytes of process {@code pid}, or zeros once it is gone. */
    static long[] status(long pid) {
        long[] values = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    values[0] = kib(line);
                } else if (line.startsWith("VmRSS:")) {
                    values[1] = kib(line);
                }
            }
        } catch (IOException e) {
            // exited meanwhile
        }
        return values;
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
    }

    /** The job, run in the child JVM: {@code backend keys valueBytes memory passes stateDir}. */
    public static final class Job {
        public static void main(String[] args) throws Exception {
            String backend = args[0];
            long keys = Long.parseLong(args[1]);
            int valueBytes = Integer.parseInt(args[2]);
            String memory = args[3];
            int passes = Integer.parseInt(args[4]);
            String stateDir = args[5];
            Map<String, String> options = BenchSupport.options(args);
            System.out.println("child: " + BenchSupport.machine());
            StreamEnvironment env = StreamEnvironment.create().setParallelism(1).setStateBackend(backend);
            if (backend.equals("rocksdb")) {
                env.setStateBackendOption("rocksdb.memory", memory);
                env.setStateBackendOption("rocksdb.local-dir", stateDir);
            }
            options.forEach(env::setStateBackendOption);
            env.generateSequence(0, keys * passes - 1)
                    .keyBy(n -> n % keys, Types.LONG)
                    .process(new Store(valueBytes), Types.LONG).name("Store")
                    .sinkTo(new io.sluice.api.sink.DiscardingSink<>()).name("Discard");
            long start = System.nanoTime();
            String outcome;
            try {
                JobResult result = env.execute("rss-" + backend);
                outcome = String.format(Locale.ROOT, "finished in %.1f s (%,.0f records/s)", result.duration().toNanos() / 1e9,
                        keys * passes / (result.duration().toNanos() / 1e9));
            } catch (Throwable t) {
                Throwable root = t;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                outcome = String.format(Locale.ROOT, "FAILED after %.1f s: %s", (System.nanoTime() - start) / 1e9, root);
            }
            long[] status = status(ProcessHandle.current().pid());
            long heapPeak = 0;
            for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                    heapPeak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(Locale.ROOT, "child %s: %s after %,d records; own VmHWM %s at exit; Java heap committed %s "
                            + "(sum of pool peak usages %s)%n", backend, outcome, Store.processed, BenchSupport.mib(status[0]),
                    BenchSupport.mib(Runtime.getRuntime().totalMemory()), BenchSupport.mib(heapPeak));
            System.out.flush();
            System.exit(outcome.startsWith("FAILED") ? 1 : 0);
        }
    }

    /** Reads the key's value and writes a new one: every key's state is {@code valueBytes} bytes. */
    static final class Store implements KeyedProcessFunction<Long, Long, Long> {
        /** Records processed in this JVM: written by the one task thread, read after the job ended (for the report). */
        static long processed;
        private final int valueBytes;
        private transient ValueState<byte[]> value;

        Store(int valueBytes) {
            this.valueBytes = valueBytes;
        }

        @Override
        public void open(RuntimeContext context) {
            value = context.getState(new ValueStateDescriptor<>("value", Types.BYTES));
        }

        @Override
        public void processElement(Long n, Context<Long> ctx, Collector<Long> out) {
            byte[] old = value.value();
            byte[] next = new byte[valueBytes];
            long x = n * 0x9E3779B97F4A7C15L;
            for (int p = 0; p < next.length; p += 8) { // pseudo-random, 8 bytes at a time
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                for (int b = p; b < Math.min(p + 8, next.length); b++) {
                    next[b] = (byte) (x >>> ((b - p) << 3));
                }
            }
            if (old != null) {
                next[0] = (byte) (old[0] + 1);
            }
            value.update(next);
            processed++; // single writer: the task thread
        }
    }
}
