package io.sluice.cli.cluster;

import io.sluice.cluster.logging.RollingLogStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sends this process's standard output and error (its log lines included) to a log file rolled by size. */
final class ProcessLog {
    /** Size at which a process's log is rolled, and how many rolled files are kept. */
    static final long MAX_BYTES = 10L * 1024 * 1024;
    static final int KEEP = 3;

    private ProcessLog() {}

    /** From now on, everything this process prints goes to {@code file} (rolled at 10 MB, 3 kept); nothing if null. */
    static void redirectTo(Path file) throws IOException {
        if (file == null) {
            return;
        }
        PrintStream log = new PrintStream(new RollingLogStream(file, MAX_BYTES, KEEP), true, StandardCharsets.UTF_8);
        System.setOut(log);
        System.setErr(log);
    }
}
