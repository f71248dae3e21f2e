package io.sluice.cli.cluster;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import io.sluice.network.ClusterToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bin/sluice cluster start|stop|status}: a local cluster of separate processes on loopback. */
@Command(name = "cluster", description = "Starts, stops and shows a local cluster: a coordinator and workers as "
        + "background processes on loopback, described by DIR/cluster.json.",
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

        @Override
        public Integer call() throws Exception {
            if (workers < 1 || slots < 1) {
                throw new ParameterException(spec.commandLine(), "--workers and --slots must be at least 1");
            }
            Path root = dir.toAbsolutePath().normalize();
            refuseIfRunning(root);
            Files.createDirectories(root);
            Path token = root.resolve("token");
            Files.deleteIfExists(token); // a new cluster gets a new secret
            ClusterToken.create(token);
            List<ClusterProcesses.Started> started = new ArrayList<>();
            try {
                ClusterProcesses.Started coordinator = ClusterProcesses.start(List.of("coordinator", "--port", "0",
                        "--token-file", token.toString(), "--work-dir", root.resolve("coordinator").toString()), root.resolve("logs/coordinator.log"), CoordinatorCommand.READY);
                started.add(coordinator);
                String address = coordinator.readyLine();
                List<ClusterFile.WorkerEntry> entries = new ArrayList<>();
                for (int w = 1; w <= workers; w++) {
                    entries.add(startWorker(root, address, token, w, slots, started));
                }
                new ClusterFile(address, token.toString(), coordinator.process().pid(),
                        ClusterProcesses.startedAt(coordinator.process().toHandle()), withDataPorts(entries, address, token))
                        .write(root);
                System.out.println("Cluster started: coordinator " + address + ", " + workers + " worker(s) with " + slots
                        + " slot(s) each; " + root.resolve(ClusterFile.NAME));
                return 0;
            } catch (IOException | RuntimeException | InterruptedException e) {
                started.forEach(s -> s.process().destroyForcibly());
                throw e;
            }
        }

        /** The workers with the data ports they registered (what other workers will connect to). */
        static List<ClusterFile.WorkerEntry> withDataPorts(List<ClusterFile.WorkerEntry> entries, String address,
                Path token) throws IOException {
            java.util.Map<String, Integer> ports = new java.util.HashMap<>();
            int colon = address.lastIndexOf(':');
            try (ClusterClient client = new ClusterClient(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)), ClusterToken.read(token))) {
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
        static ClusterFile.WorkerEntry startWorker(Path root, String address, Path token, int n, int slots,
                List<ClusterProcesses.Started> started) throws IOException, InterruptedException {
            Path log = root.resolve("logs/worker-" + n + ".log");
            ClusterProcesses.Started worker = ClusterProcesses.start(List.of("worker", "--coordinator", address,
                    "--slots", Integer.toString(slots), "--token-file", token.toString(),
                    "--work-dir", root.resolve("workers/" + n).toString()), log, WorkerCommand.READY);
            started.add(worker);
            return new ClusterFile.WorkerEntry(worker.readyLine(), worker.process().pid(), 0, slots, log.toString(),
                    ClusterProcesses.startedAt(worker.process().toHandle()));
        }

        /**
         * Refuses to start over a cluster whose coordinator still runs. One whose coordinator is gone (killed, say)
         * is replaced: its workers still running (each stops within the heartbeat timeout of losing its coordinator,
         * and would meanwhile share their work directories with the new ones) are stopped first.
         */
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
                entries.add(Start.startWorker(root, cluster.coordinator(), token, entries.size() + 1, slots, started));
                new ClusterFile(cluster.coordinator(), cluster.tokenFile(), cluster.coordinatorPid(),
                        cluster.coordinatorStartedAt(), Start.withDataPorts(entries, cluster.coordinator(), token)).write(root);
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
            try (ClusterClient client = new ClusterClient(cluster.coordinatorHost(), cluster.coordinatorPort(),
                    ClusterToken.read(Path.of(cluster.tokenFile())))) {
                status = client.status();
                jobs = client.jobs();
            }
            int slots = status.workers().stream().mapToInt(WorkerStatus::slots).sum();
            long running = jobs.stream().filter(j -> j.state().equals("RUNNING")).count();
            System.out.println("coordinator " + cluster.coordinator() + ": " + status.workers().size() + " worker(s), "
                    + slots + " slot(s), " + jobs.size() + " job(s), " + running + " running");
            for (WorkerStatus w : status.workers()) {
                int used = jobs.stream().filter(j -> j.worker().equals(w.workerId())).mapToInt(j -> j.slots()).sum();
                System.out.println("  " + w.workerId() + "  slots " + used + "/" + w.slots() + " used  pid " + w.pid()
                        + "  last heartbeat " + w.millisSinceHeartbeat() + " ms ago");
            }
            jobs.forEach(j -> System.out.println("  " + JobCommands.describe(j)));
            return 0;
        }
    }
}
