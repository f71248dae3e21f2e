package io.sluice.cli.cluster;

import io.sluice.cluster.local.ClusterFile;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the processes of a local cluster: a coordinator and workers as background JVMs of this
 * installation (the same java and class path), each logging to {@code DIR/logs/}. A process is stopped only if it
 * still is one of ours (its command line runs Sluice's main class), so a recycled process id is never killed.
 */
final class ClusterProcesses {
    private static final long READY_MILLIS = 60_000;
    private static final long STOP_MILLIS = 10_000;
    private static final String MAIN = "io.sluice.cli.Main";

    private ClusterProcesses() {}

    /** A started process and the line it printed when ready. */
    record Started(Process process, String readyLine, Path log, long logStart) {

        /** The rest of the first line this process wrote to its log starting with {@code prefix}, if any. */
        Optional<String> line(String prefix) throws IOException {
            return ClusterProcesses.readyLine(log, logStart, prefix);
        }
    }

    /**
     * Starts {@code java ... Main ARGS --log-file LOG} in the background (the process rolls its own log; what the JVM
     * prints before that, a crash at start, goes to {@code LOG.out}); waits for its ready line in the log. Only what
     * this process writes counts: a log is appended to, and an earlier cluster in the same directory left its own ready
     * lines in it (its coordinator's address, dead by now).
     */
    static Started start(List<String> args, Path log, String readyPrefix) throws IOException, InterruptedException {
        return start("-Xmx256m", args, log, readyPrefix);
    }

    /** {@link #start(List, Path, String)} with {@code heapFlag} ({@code -Xmx...}) as the JVM's maximum heap. */
    static Started start(String heapFlag, List<String> args, Path log, String readyPrefix)
            throws IOException, InterruptedException {
        return start(List.of(heapFlag), args, log, readyPrefix);
    }

    /** {@link #start(List, Path, String)} with {@code memoryFlags} ({@code -Xmx...} and the like) for the JVM. */
    static Started start(List<String> memoryFlags, List<String> args, Path log, String readyPrefix)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(memoryFlags);
        // A process out of memory is in an unknown state (a thread died mid-update): it exits, and the cluster treats
        // it as lost (its jobs restart elsewhere) rather than trusting it.
        command.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED",
                // protobuf-java still uses sun.misc.Unsafe: allowed quietly rather than warned about in every log
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), MAIN));
        command.addAll(args);
        command.addAll(List.of("--log-file", log.toString()));
        Files.createDirectories(log.getParent());
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Path early = log.resolveSibling(log.getFileName() + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(early.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MILLIS);
        while (System.nanoTime() < deadline) {
            Optional<String> ready = readyLine(log, logStart, readyPrefix);
            if (ready.isPresent()) {
                return new Started(p, ready.get(), log, logStart);
            }
            if (!p.isAlive()) {
                throw new IOException("'" + String.join(" ", args) + "' ended (exit " + p.exitValue() + ") before it was "
                        + "ready: " + tail(log) + " " + tail(early));
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new IOException("'" + String.join(" ", args) + "' was not ready within " + READY_MILLIS + " ms: " + tail(log));
    }

    /** The rest of the first line starting with {@code prefix} written to {@code log} from byte {@code from} on. */
    private static Optional<String> readyLine(Path log, long from, String prefix) throws IOException {
        if (!Files.exists(log)) {
            return Optional.empty();
        }
        String written;
        try (SeekableByteChannel in = Files.newByteChannel(log)) {
            // A log rolled since (it is smaller than it was) starts with this process's lines.
            in.position(in.size() >= from ? from : 0);
            written = new String(Channels.newInputStream(in).readAllBytes(), StandardCharsets.UTF_8);
        }
        return written.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip())
                .findFirst();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** When {@code process} started (epoch ms), 0 if the system does not say. */
    static long startedAt(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Whether {@code pid} is still the live process started at {@code startedAt}: a process id alone may have been
     * given to another process since (the command line cannot tell: the kernel shows only its first page, and the
     * class path comes before the main class).
     */
    static boolean isOurs(long pid, long startedAt) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> startedAt != 0 && startedAt(h) == startedAt)
                .isPresent();
    }

    /** Stops the cluster's processes: workers first (SIGTERM, then SIGKILL after a bound), then the coordinator. */
    static int stop(ClusterFile cluster) throws InterruptedException {
        List<long[]> processes = new ArrayList<>();
        cluster.workers().forEach(w -> processes.add(new long[] {w.pid(), w.startedAt()}));
        processes.add(new long[] {cluster.coordinatorPid(), cluster.coordinatorStartedAt()});
        int stopped = 0;
        for (long[] p : processes) {
            if (isOurs(p[0], p[1]) && stop(ProcessHandle.of(p[0]).orElseThrow())) {
                stopped++;
            }
        }
        return stopped;
    }

    private static boolean stop(ProcessHandle process) throws InterruptedException {
        process.destroy();
        try {
            process.onExit().get(STOP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            try {
                process.onExit().get(STOP_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException again) {
                return false;
            }
        }
        return true;
    }
}
