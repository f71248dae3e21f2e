package io.sluice.cli.cluster;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.worker.WorkerMemory;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.ClusterCa;
import io.sluice.network.tls.TlsDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bin/sluice cluster start|stop|status}: a local cluster of separate processes on loopback. */
@Command(name = "cluster", description = "Starts, stops and shows a local cluster: a coordinator and workers as "
        + "background processes on loopback, described by DIR/cluster.json; with --tls, mutual TLS between them all.",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.StatusCommand.class,
            ClusterCommand.AddWorker.class})
public final class ClusterCommand implements Runnable {
    static final String DEFAULT_DIR = ".sluice/cluster";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say what to do: start, stop or status");
    }

    @Command(name = "start", description = "Starts a coordinator and N workers in the background, waits until every "
            + "worker registered, and writes DIR/cluster.json; each process logs to DIR/logs/.")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workers", paramLabel = "N", required = true, description = "Number of worker processes.")
        int workers;

        @Option(names = "--slots", paramLabel = "S", defaultValue = "2", description = "Slots per worker (default: ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "The cluster's directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--placement", paramLabel = "tasks|job", defaultValue = "tasks",
                description = "How the coordinator places jobs: tasks spread over the workers' slots, or each attempt "
                        + "whole on one worker (default: ${DEFAULT-VALUE}).")
        String placement;

        @Option(names = "--memory", paramLabel = "SIZE", description = "Each worker's memory limit, e.g. 2g (its JVM heap "
                + "45%% of it, RocksDB's managed memory 30%% shared by its slots); default: half the machine's memory "
                + "divided among the workers, between 256m and 8g.")
        String memory;

        @Option(names = "--tls", description = "Mutual TLS between the processes and with clients, with a CA and "
                + "certificates made in DIR/tls (kept, and reused by the next start).")
        boolean tls;

        @Option(names = "--tls-dir", paramLabel = "TLS-DIR", description = "Mutual TLS with the CA and certificates in "
                + "TLS-DIR (ca.pem; coordinator, worker-N and client .pem/.key): made there if TLS-DIR does not exist, "
                + "missing certificates issued with TLS-DIR/ca.key.")
        Path tlsDir;

        @Override
        public Integer call() throws Exception {
            if (!placement.equals("tasks") && !placement.equals("job")) {
                throw new ParameterException(spec.commandLine(), "--placement must be tasks or job, was '" + placement + "'");
            }
            if (workers < 1 || slots < 1) {
                throw new ParameterException(spec.commandLine(), "--workers and --slots must be at least 1");
            }
            long perWorker;
            try {
                perWorker = memory != null ? WorkerMemory.parseSize(memory) : defaultMemory(workers);
                new WorkerMemory(perWorker, slots); // checked before anything starts
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--memory: " + e.getMessage());
            }
            Path root = dir.toAbsolutePath().normalize();
            refuseIfRunning(root);
            Files.createDirectories(root);
            Optional<Path> tlsRoot = tlsDir != null ? Optional.of(tlsDir.toAbsolutePath().normalize())
                    : tls ? Optional.of(root.resolve("tls")) : Optional.empty();
            List<String> names = new ArrayList<>(List.of("coordinator", ClusterFile.CLIENT_TLS_NAME));
            for (int w = 1; w <= workers; w++) {
                names.add(workerTlsName(w));
            }
            if (tlsRoot.isPresent()) {
                prepareTls(tlsRoot.get(), names);
            }
            Path token = root.resolve("token");
            Files.deleteIfExists(token); // a new cluster gets a new secret
            ClusterToken.create(token);
            List<ClusterProcesses.Started> started = new ArrayList<>();
            try {
                List<String> coordinatorArgs = new ArrayList<>(List.of("coordinator", "--port", "0",
                        "--token-file", token.toString(), "--work-dir", root.resolve("coordinator").toString(),
                        "--placement", placement));
                coordinatorArgs.addAll(tlsArgs(tlsRoot, "coordinator"));
                ClusterProcesses.Started coordinator = ClusterProcesses.start("-Xmx512m", coordinatorArgs,
                        root.resolve("logs/coordinator.log"), CoordinatorCommand.READY);
                started.add(coordinator);
                String address = coordinator.readyLine();
                List<ClusterFile.WorkerEntry> entries = new ArrayList<>();
                for (int w = 1; w <= workers; w++) {
                    entries.add(startWorker(root, address, token, tlsRoot, w, slots, perWorker, started));
                }
                int colon = address.lastIndexOf(':');
                ClusterTarget target = new ClusterTarget(address.substring(0, colon),
                        Integer.parseInt(address.substring(colon + 1)), token, tlsRoot);
                new ClusterFile(address, token.toString(), coordinator.process().pid(),
                        ClusterProcesses.startedAt(coordinator.process().toHandle()),
                        tlsRoot.map(Path::toString).orElse(null), withDataPorts(entries, target),
                        coordinator.line(CoordinatorCommand.REST).orElse(null))
                        .write(root);
                System.out.println("Cluster started: coordinator " + address + ", " + workers + " worker(s) with " + slots
                        + " slot(s) each" + tlsRoot.map(t -> ", mutual TLS with the certificates in " + t).orElse("")
                        + "; " + root.resolve(ClusterFile.NAME));
                return 0;
            } catch (IOException | RuntimeException | InterruptedException e) {
                started.forEach(s -> s.process().destroyForcibly());
                throw e;
            }
        }

        /** The name of worker number {@code n}'s certificate and key in the cluster's TLS directory. */
        static String workerTlsName(int n) {
            return "worker-" + n;
        }

        /**
         * Makes what {@code names} need in the TLS directory {@code dir} (a CA if it has none, each missing certificate)
         * and checks every one now, so that bad material fails here, naming its file, before a process starts.
         */
        static void prepareTls(Path dir, List<String> names) throws IOException {
            List<String> made = ClusterCa.ensure(dir, names, ClusterCa.LOOPBACK);
            for (String name : names) {
                TlsDir.load(dir, name);
            }
            if (!made.isEmpty()) {
                System.out.println("TLS: made certificates for " + String.join(", ", made) + " in " + dir);
            }
        }

        /** The options that give a process its TLS material, none without TLS. */
        private static List<String> tlsArgs(Optional<Path> tlsRoot, String name) {
            return tlsRoot.map(t -> List.of("--tls-dir", t.toString(), "--tls-name", name)).orElse(List.of());
        }

        /** The workers with the data ports they registered (what other workers will connect to). */
        static List<ClusterFile.WorkerEntry> withDataPorts(List<ClusterFile.WorkerEntry> entries, ClusterTarget target)
                throws IOException {
            java.util.Map<String, Integer> ports = new java.util.HashMap<>();
            try (ClusterClient client = target.connect()) {
                client.status().workers().forEach(w -> ports.put(w.workerId(), w.dataPort()));
            }
            List<ClusterFile.WorkerEntry> out = new ArrayList<>();
            for (ClusterFile.WorkerEntry e : entries) {
                out.add(new ClusterFile.WorkerEntry(e.id(), e.pid(), ports.getOrDefault(e.id(), 0), e.slots(), e.log(),
                        e.startedAt()));
            }
            return out;
        }

        /** Starts worker number {@code n} of the cluster in {@code root}, adding its process to {@code started}. */
        static ClusterFile.WorkerEntry startWorker(Path root, String address, Path token, Optional<Path> tlsRoot, int n,
                int slots, long memoryBytes, List<ClusterProcesses.Started> started)
                throws IOException, InterruptedException {
            Path log = root.resolve("logs/worker-" + n + ".log");
            List<String> args = new ArrayList<>(List.of("worker", "--coordinator", address,
                    "--slots", Integer.toString(slots), "--token-file", token.toString(),
                    "--work-dir", root.resolve("workers/" + n).toString(), "--memory", Long.toString(memoryBytes)));
            args.addAll(tlsArgs(tlsRoot, workerTlsName(n)));
            ClusterProcesses.Started worker = ClusterProcesses.start(new WorkerMemory(memoryBytes, slots).jvmFlags(), args,
                    log, WorkerCommand.READY);
            started.add(worker);
            return new ClusterFile.WorkerEntry(worker.readyLine(), worker.process().pid(), 0, slots, log.toString(),
                    ClusterProcesses.startedAt(worker.process().toHandle()));
        }

        /**
         * Refuses to start over a cluster whose coordinator still runs. One whose coordinator is gone (killed, say)
         * is replaced: its workers still running (each stops within the heartbeat timeout of losing its coordinator,
         * and would meanwhile share their work directories with the new ones) are stopped first.
         */
        /** Half the machine's memory divided among {@code workers}, between 256 MiB and 8 GiB. */
        static long defaultMemory(int workers) {
            long physical = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getTotalMemorySize();
            return Math.clamp(physical / 2 / workers, 256L << 20, 8L << 30);
        }

        private static void refuseIfRunning(Path root) throws IOException, InterruptedException {
            if (!Files.exists(root.resolve(ClusterFile.NAME))) {
                return;
            }
            ClusterFile existing = ClusterFile.read(root);
            if (ClusterProcesses.isOurs(existing.coordinatorPid(), existing.coordinatorStartedAt())) {
                throw new IOException("a cluster is running in " + root + " (coordinator " + existing.coordinator() + ", pid "
                        + existing.coordinatorPid() + "): stop it first with 'bin/sluice cluster stop --dir " + root + "'");
            }
            int stopped = ClusterProcesses.stop(existing);
            if (stopped > 0) {
                System.out.println("Stopped " + stopped + " worker(s) left from the earlier cluster in " + root
                        + " (its coordinator, pid " + existing.coordinatorPid() + ", is gone)");
            }
        }
    }

    @Command(name = "add-worker", description = "Starts one more worker for the local cluster in DIR (for instance "
            + "after one was lost) and adds it to DIR/cluster.json.")
    static final class AddWorker implements Callable<Integer> {
        @Option(names = "--slots", paramLabel = "S", defaultValue = "2", description = "Slots of the worker (default: ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--memory", paramLabel = "SIZE", description = "The worker's memory limit (default: as cluster start).")
        String memory;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "The cluster's directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Path root = dir.toAbsolutePath().normalize();
            ClusterFile cluster = ClusterFile.read(root);
            Path token = Path.of(cluster.tokenFile());
            List<ClusterProcesses.Started> started = new ArrayList<>();
            try {
                List<ClusterFile.WorkerEntry> entries = new ArrayList<>(cluster.workers());
                int n = entries.size() + 1;
                if (cluster.tls().isPresent()) {
                    Start.prepareTls(cluster.tls().get(), List.of(Start.workerTlsName(n)));
                }
                entries.add(Start.startWorker(root, cluster.coordinator(), token, cluster.tls(), n, slots,
                        memory != null ? WorkerMemory.parseSize(memory) : Start.defaultMemory(cluster.workers().size() + 1),
                        started));
                new ClusterFile(cluster.coordinator(), cluster.tokenFile(), cluster.coordinatorPid(),
                        cluster.coordinatorStartedAt(), cluster.tlsDir(),
                        Start.withDataPorts(entries, ClusterTarget.of(cluster)), cluster.rest()).write(root);
                System.out.println("Worker " + entries.getLast().id() + " added (pid " + entries.getLast().pid() + ")");
                return 0;
            } catch (IOException | RuntimeException | InterruptedException e) {
                started.forEach(s -> s.process().destroyForcibly());
                throw e;
            }
        }
    }

    @Command(name = "stop", description = "Stops the processes of the local cluster in DIR and removes DIR/cluster.json.")
    static final class Stop implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "The cluster's directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Path root = dir.toAbsolutePath().normalize();
            ClusterFile cluster = ClusterFile.read(root);
            int stopped = ClusterProcesses.stop(cluster);
            Files.deleteIfExists(root.resolve(ClusterFile.NAME));
            System.out.println("Cluster stopped: " + stopped + " process(es) ended");
            return 0;
        }
    }

    @Command(name = "status", description = "Prints the workers, slots and jobs of the cluster in DIR.")
    static final class StatusCommand implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "The cluster's directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            ClusterFile cluster = ClusterFile.read(dir.toAbsolutePath().normalize());
            StatusReply status;
            java.util.List<io.sluice.cluster.protocol.JobMessages.JobInfo> jobs;
            try (ClusterClient client = ClusterTarget.of(cluster).connect()) {
                status = client.status();
                jobs = client.jobs();
            }
            int slots = status.workers().stream().mapToInt(WorkerStatus::slots).sum();
            long running = jobs.stream().filter(j -> j.state().equals("RUNNING")).count();
            System.out.println("coordinator " + cluster.coordinator() + ": " + status.workers().size() + " worker(s), "
                    + slots + " slot(s), " + jobs.size() + " job(s), " + running + " running");
            for (WorkerStatus w : status.workers()) {
                int used = w.usedSlots();
                System.out.println("  " + w.workerId() + "  slots " + used + "/" + w.slots() + " used  pid " + w.pid()
                        + "  last heartbeat " + w.millisSinceHeartbeat() + " ms ago");
            }
            jobs.forEach(j -> System.out.println("  " + JobCommands.describe(j)));
            return 0;
        }
    }
}
