package io.sluice.cli.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Owns the child JVMs of a soak run: starts them with their output in files, and kills every one still alive on
 * {@link #killAll()}, on {@link #close()} and when this JVM exits (a shutdown hook, for Ctrl-C), so none outlives the
 * soak whatever path it ends by. Thread-safe (the hook runs on its own thread).
 */
final class ChildProcesses implements AutoCloseable {
    private static final long KILL_WAIT_SECONDS = 10;

    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final Thread hook = new Thread(this::killAll, "soak: kill child JVMs at exit");

    ChildProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code command} with standard output and error going to {@code stdout} and {@code stderr}. */
    Process start(List<String> command, Path stdout, Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().remove("SLUICE_DEBUG"); // child errors stay one line, as the checks read them
        Process p = builder.start();
        live.add(p);
        return p;
    }

    /** Kills {@code p} with SIGKILL and waits for it to be gone (at most 10 s). */
    void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        live.remove(p);
    }

    /** Forgets a child that has ended by itself. */
    void ended(Process p) {
        if (!p.isAlive()) {
            live.remove(p);
        }
    }

    /** Kills every child still alive. */
    void killAll() {
        for (Process p : live) {
            p.destroyForcibly();
        }
        for (Process p : live) {
            try {
                p.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            live.remove(p);
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: it kills them
        }
    }
}
