package io.sluice.cli.cluster;

import io.sluice.cluster.coordinator.Coordinator;
import io.sluice.cluster.coordinator.JobMains;
import io.sluice.cluster.coordinator.Jobs;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.TlsDir;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/sluice coordinator}: runs a cluster's coordinator in this process until it is stopped (SIGTERM).
 * Prints {@code coordinator listening on HOST:PORT} once it serves (what {@code cluster start} waits for).
 */
@Command(name = "coordinator", description = "Runs a cluster's coordinator: accepts workers (and, soon, jobs), detects "
        + "dead workers. Binds to loopback unless --bind says otherwise; every call must present the cluster token.")
public final class CoordinatorCommand implements Callable<Integer> {
    /** The line printed once the coordinator serves; {@code cluster start} reads the address from it. */
    static final String READY = "coordinator listening on ";
    /** Printed just before {@link #READY}: where the REST API, metrics and dashboard listen. */
    static final String REST = "coordinator REST API on ";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0", description = "Port to listen on; 0 picks a free one (default).")
    int port;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "A directory every process sees, for the "
            + "checkpoints of jobs that name none (DIR/<job id>; default: WORK-DIR/checkpoints).")
    Path checkpointDir;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = ".sluice/coordinator",
            description = "Where the coordinator keeps job jars (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--slot-wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a job waits for a worker with enough free slots before it fails (default: ${DEFAULT-VALUE}).")
    long slotWaitSeconds;

    @Option(names = "--placement", paramLabel = "tasks|job", defaultValue = "tasks",
            description = "tasks: a job's tasks are spread over the workers' slots (its checkpoints and restarts "
                    + "coordinated here, records over the network between workers); job: each attempt of a job runs "
                    + "whole on one worker (default: ${DEFAULT-VALUE}).")
    String placement;

    @Option(names = "--submit-wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a job's main may run before it submits its job; then the job fails (default: ${DEFAULT-VALUE}).")
    long submitWaitSeconds;

    private final JobMains mains;

    /** A coordinator that runs submitted jobs' mains with {@code mains}. */
    public CoordinatorCommand(JobMains mains) {
        this.mains = mains;
    }

    /** A coordinator that accepts no jobs (for tools that only need membership). */
    public CoordinatorCommand() {
        this(JobMains.none());
    }

    @Option(names = "--rest-port", paramLabel = "P", defaultValue = "0",
            description = "Port of the REST API, /metrics and the dashboard, on the --bind address; 0 picks a free one "
                    + "(default). Same token as every call; HTTPS with --tls-dir.")
    int restPort;

    @Option(names = "--savepoint-root", paramLabel = "DIR",
            description = "A directory under which the REST API may take savepoints, besides each job's checkpoint "
                    + "directory (repeatable).")
    List<Path> savepointRoots = new java.util.ArrayList<>();

    @Option(names = "--token-file", paramLabel = "F", defaultValue = ".sluice/token",
            description = "The cluster token: read if the file exists, else created with mode 0600 (default: ${DEFAULT-VALUE}).")
    Path tokenFile;

    @Mixin
    ProcessTlsOptions tls;

    @Option(names = "--log-file", paramLabel = "F", description = "Write this process's log to F, rolled at 10 MB "
            + "(3 rolled files kept), instead of standard output and error.")
    Path logFile;

    private boolean spreadTasks() {
        return switch (placement) {
            case "tasks" -> true;
            case "job" -> false;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--placement must be tasks or job, was '" + placement + "'");
        };
    }

    @Override
    public Integer call() throws Exception {
        ProcessLog.redirectTo(logFile);
        ClusterToken token = TokenFiles.readOrCreate(tokenFile);
        Optional<TlsDir> material = tls.load("coordinator");
        if (material.isEmpty() && !isLoopback(bind)) {
            System.err.println("sluice: WARNING: the coordinator listens on " + bind + " without --tls-dir: the cluster "
                    + "token and every control message cross the network in clear");
        }
        Coordinator coordinator = Coordinator.start(new Coordinator.Settings(bind, port,
                Coordinator.Settings.defaults().heartbeatIntervalMillis(), Coordinator.Settings.defaults().heartbeatTimeoutMillis(),
                material),
                token, workDir, new Jobs.Settings(checkpointDir != null ? checkpointDir : workDir.resolve("checkpoints"),
                        slotWaitSeconds * 1_000, submitWaitSeconds * 1_000, mains, spreadTasks()));
        io.sluice.web.WebServer rest;
        try {
            rest = io.sluice.web.WebServer.start(coordinator.monitoring(), io.sluice.web.WebServer.Settings.loopback(token)
                    .withHost(bind).withPort(restPort).withTls(material.map(TlsDir::dir).orElse(null), "coordinator")
                    .withSavepointRoots(savepointRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList()));
        } catch (java.io.IOException | RuntimeException e) {
            coordinator.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rest.close();
            coordinator.close();
        }, "sluice coordinator: shutdown"));
        coordinator.announceRestPort(rest.port());
        System.out.println(REST + rest.address());
        System.out.println(READY + coordinator.address().getHostString() + ":" + coordinator.address().getPort());
        System.out.flush();
        coordinator.awaitTermination();
        return 0;
    }

    /** Whether {@code host} is a loopback address (a name is looked up). */
    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // the server will not bind either, and says so
        }
    }
}
