package io.sluice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Child JVMs running the command line ({@code io.sluice.cli.Main}) for tests, on this test's class path, each with its
 * standard output and error in files named after it and its own temporary directory (RocksDB's JNI library is unpacked
 * there at each start, and a killed child leaves it behind). Registered as an extension
 * ({@code @RegisterExtension final CliProcesses children = new CliProcesses(() -> tmp);}), it kills every child
 * still running after each test, whatever its outcome, so no process outlives its test. One test thread.
 */
final class CliProcesses implements AfterEachCallback, AutoCloseable {
    private final Supplier<Path> dir;
    private final List<Process> children = new ArrayList<>();

    /** Children whose logs and temporary files go into {@code dir} (asked for at each start: a test's temp dir). */
    CliProcesses(Supplier<Path> dir) {
        this.dir = dir;
    }

    /** Starts {@code Main} with {@code args}; its output goes to {@code name.out} and {@code name.err}. */
    Process start(List<String> args, String name) throws IOException {
        Path dir = this.dir.get();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java command")));
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-cp",
                System.getProperty("java.class.path"), "io.sluice.cli.Main"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().remove("SLUICE_DEBUG");
        Process p = builder.start();
        children.add(p);
        return p;
    }

    /** What child {@code name} wrote to its standard error so far. */
    String stderr(String name) throws IOException {
        return Files.readString(dir.get().resolve(name + ".err"));
    }

    /** Both outputs of child {@code name}, for messages. */
    String log(String name) {
        try {
            return "stdout: <" + Files.readString(dir.get().resolve(name + ".out")).strip() + ">, stderr: <"
                    + Files.readString(dir.get().resolve(name + ".err")).strip() + ">";
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        close();
    }

    /** Kills (SIGKILL) every child still running and waits for each, at most 10 s. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : children) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        children.clear();
    }
}
