package io.sluice.bench;

import io.sluice.state.rocksdb.RocksDbOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Small helpers the state benchmarks share: medians, the machine line, sizes, key order. */
final class BenchSupport {
    private BenchSupport() {}

    /** One line naming JDK, cores, memory, heap and JVM flags: printed at the top of every report. */
    static String machine() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "JDK %s, %d cores, %.1f GiB RAM, max heap %d MiB, load %.2f, JVM flags %s",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (double) (1L << 30),
                Runtime.getRuntime().maxMemory() >> 20, os.getSystemLoadAverage(),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The arguments before the first {@code KEY=VALUE} one. */
    static String[] positional(String[] args) {
        int n = 0;
        while (n < args.length && !args[n].contains("=")) {
            n++;
        }
        return java.util.Arrays.copyOf(args, n);
    }

    /** The {@code KEY=VALUE} arguments (state backend options such as {@code rocksdb.bloom-bits-per-key=0}), in order. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (int i = positional(args).length; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected KEY=VALUE after the positional arguments, got '" + args[i] + "'");
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return options;
    }

    /** Milliseconds the JVM's collectors have spent so far (all collectors, as their MXBeans count it). */
    static long gcMillis() {
        long total = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    static double median(List<Double> values) {
        return PipelineBenchmark.median(values);
    }

    static double min(List<Double> values) {
        return Collections.min(values);
    }

    static double max(List<Double> values) {
        return Collections.max(values);
    }

    /** A size like {@code 64mb}, {@code 1g}, {@code 512k} or plain bytes, as the {@code rocksdb.memory} option reads it. */
    static long bytes(String text) {
        return RocksDbOptions.fromMap(Map.of(RocksDbOptions.MEMORY, text)).memoryBudgetBytes();
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    /** The total size of the regular files under {@code dir} (0 if it is gone). Tolerates files vanishing meanwhile. */
    static long directorySize(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        long[] total = {0};
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.forEach(p -> {
                try {
                    if (Files.isRegularFile(p)) {
                        total[0] += Files.size(p);
                    }
                } catch (IOException e) {
                    // deleted meanwhile (compaction, checkpoint cleanup)
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a directory vanished while walking: report what was counted
        }
        return total[0];
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /**
     * The {@code i}-th key index of a uniform pseudo-random sequence over {@code [0, keyCount)}: a SplitMix64 mix of
     * {@code i + seed}, scaled by a multiply (no division). Allocation-free and the same for every variant.
     */
    static int keyIndex(long i, long seed, int keyCount) {
        long z = (i + seed) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Math.unsignedMultiplyHigh(z, keyCount);
    }
}
