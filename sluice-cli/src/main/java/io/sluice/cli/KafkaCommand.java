package io.sluice.cli;

import io.sluice.connectors.kafka.broker.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice kafka start|stop}: a single-node KRaft Kafka broker for development, run from the Kafka jars Sluice
 * ships with (nothing is downloaded), on 127.0.0.1, its data in a directory.
 */
@Command(name = "kafka", description = "A single-node Kafka broker for development (KRaft, on 127.0.0.1).",
        subcommands = {KafkaCommand.Start.class, KafkaCommand.Stop.class})
final class KafkaCommand implements Runnable {
    static final String DEFAULT_DIR = ".sluice/kafka";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "start", description = "Starts the broker in the background and prints its bootstrap address.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "The broker's directory: data, log, pid (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--port", paramLabel = "P", defaultValue = "9092", description = "The port (default: "
                + "${DEFAULT-VALUE}; 0 picks a free one).")
        int port;

        @Override
        public Integer call() throws Exception {
            Optional<ProcessHandle> running = running(dir);
            if (running.isPresent()) {
                System.err.println("sluice: a Kafka broker runs in " + dir + " already (pid " + running.get().pid()
                        + ", " + Files.readString(dir.resolve("bootstrap")).strip() + ")");
                return 1;
            }
            // The edge: this process's JDK and class path (which holds kafka_2.13) run the broker.
            KafkaBroker broker = KafkaBroker.start(dir, port, Map.of(), System.getProperty("java.home"),
                    System.getProperty("java.class.path"));
            broker.detach();
            System.out.println(broker.bootstrapServers());
            System.err.println("Kafka broker started (pid " + broker.pid() + ", log " + dir.resolve("broker.log")
                    + "); stop it with: bin/sluice kafka stop" + (dir.toString().equals(DEFAULT_DIR) ? "" : " --dir " + dir));
            return 0;
        }
    }

    @Command(name = "stop", description = "Stops the broker started in DIR.")
    static final class Stop implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "The broker's directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Optional<ProcessHandle> running = running(dir);
            if (running.isEmpty()) {
                System.err.println("sluice: no Kafka broker runs in " + dir);
                return 1;
            }
            ProcessHandle process = running.get();
            process.destroy();
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
                process.onExit().get(30, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(dir.resolve("broker.pid"));
            Files.deleteIfExists(dir.resolve("bootstrap"));
            System.out.println("Kafka broker in " + dir + " stopped");
            return 0;
        }
    }

    /** The broker process of {@code dir}: its pid file names a live Java process (a reused pid is not checked). */
    private static Optional<ProcessHandle> running(Path dir) throws java.io.IOException {
        Path pidFile = dir.resolve("broker.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                // A Java process (the command line itself may be cut short by the OS behind the long class path).
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(true));
    }
}
