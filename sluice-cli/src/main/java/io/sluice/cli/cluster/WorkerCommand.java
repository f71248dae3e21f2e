package io.sluice.cli.cluster;

import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.network.ClusterToken;
import io.sluice.cluster.worker.Worker;
import io.sluice.cluster.worker.WorkerDataPlane;
import io.sluice.network.tls.TlsDir;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bin/sluice worker}: joins a cluster and stays until stopped (SIGTERM) or until its coordinator is gone for
 * longer than the heartbeat timeout (exit 1: a worker never runs on uncoordinated). Prints
 * {@code worker registered as ID}.
 */
@Command(name = "worker", description = "Runs a worker: registers with the coordinator, offers its slots, beats every "
        + "second; stops when the coordinator is gone.")
public final class WorkerCommand implements Callable<Integer> {
    static final String READY = "worker registered as ";

    @Spec
    CommandSpec spec;

    @Option(names = "--coordinator", paramLabel = "HOST:PORT", required = true, description = "The coordinator's address.")
    String coordinator;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "1", description = "Task slots offered (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--memory", paramLabel = "SIZE", description = "The worker's memory limit, e.g. 2g: a slot's share of "
            + "its managed part (30%%) bounds the RocksDB memory of the tasks in the slot, 10%% is the pool of network "
            + "buffers (start the JVM with -Xmx and -Xms of 45%% of it and -XX:MaxDirectMemorySize of the pool + 64m; cluster "
            + "start does). Default: no managed memory, 64 MiB of network buffers.")
    String memory;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Where the worker's data "
            + "server listens (default: ${DEFAULT-VALUE}, loopback: only workers of this machine reach it; an address "
            + "of this machine, or 0.0.0.0 with --advertise, for workers on other hosts).")
    String bind;

    @Option(names = "--advertise", paramLabel = "HOST", description = "The address other workers connect to for this "
            + "worker's data (default: --bind; needed when --bind is a wildcard address).")
    String advertise;

    @Option(names = "--token-file", paramLabel = "F", defaultValue = ".sluice/token", description = "The cluster token's file (default: ${DEFAULT-VALUE}).")
    Path tokenFile;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the worker keeps the jars of its jobs (default: .sluice/workers/<pid>).")
    Path workDir;

    @Mixin
    ProcessTlsOptions tls;

    @Option(names = "--log-file", paramLabel = "F", description = "Write this process's log to F, rolled at 10 MB "
            + "(3 rolled files kept), instead of standard output and error.")
    Path logFile;

    @Override
    public Integer call() throws Exception {
        ProcessLog.redirectTo(logFile);
        int colon = coordinator.lastIndexOf(':');
        if (colon < 1) {
            throw new ParameterException(spec.commandLine(), "--coordinator must be HOST:PORT, was '" + coordinator + "'");
        }
        if (slots < 1) {
            throw new ParameterException(spec.commandLine(), "--slots must be at least 1, was " + slots);
        }
        io.sluice.cluster.worker.WorkerMemory limit;
        try {
            limit = memory == null ? null
                    : new io.sluice.cluster.worker.WorkerMemory(io.sluice.cluster.worker.WorkerMemory.parseSize(memory), slots);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--memory: " + e.getMessage());
        }
        String dataHost = advertise != null ? advertise : bind;
        if (isWildcard(dataHost)) {
            throw new ParameterException(spec.commandLine(), "--bind " + bind + " listens on every address; say which "
                    + "one other workers reach this worker at with --advertise HOST");
        }
        ClusterToken token = ClusterToken.read(tokenFile);
        Optional<TlsDir> material = tls.load("worker");
        CountDownLatch lost = new CountDownLatch(1);
        WorkerDataPlane data = WorkerDataPlane.start(token, material, limit, bind);
        Worker worker;
        try {
            worker = Worker.join(coordinator.substring(0, colon), Integer.parseInt(coordinator.substring(colon + 1)),
                    token, material, RegisterRequest.newInstance(dataHost, data.port(), slots,
                            ProcessHandle.current().pid()),
                    workDir != null ? workDir : Path.of(".sluice/workers", Long.toString(ProcessHandle.current().pid())),
                    data, limit, lost::countDown);
        } catch (Exception e) {
            data.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            data.close();
        }, "sluice worker: shutdown"));
        System.out.println(READY + worker.workerId());
        System.out.flush();
        lost.await();
        System.err.println("sluice: the coordinator at " + coordinator + " is gone; the worker stops");
        return 1;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }
}
