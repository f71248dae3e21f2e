package io.sluice.cli.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault switchboard of a child JVM running one round's job: which planned faults are still to fire, and how far
 * the job has read. Static, because the runtime copies functions, sources and sinks anew for every attempt while a
 * fault must fire once across all of them; and logged to a file of the round, because it must fire once across child
 * JVMs too (a resumed child skips the faults an earlier one fired).
 *
 * <p>Thread-safe: task threads of every subtask call {@link #progress} and {@link #fire} concurrently; a fault fires in
 * exactly one of them ({@code remove} decides). One round per JVM: {@link #arm} replaces whatever was armed.
 */
public final class SoakFaults {
    private static final Map<Integer, Fault> ARMED = new ConcurrentHashMap<>();
    private static final AtomicLong PROGRESS = new AtomicLong(-1);
    private static volatile Path firedLog;

    private SoakFaults() {}

    /** Arms {@code faults} except those {@code firedLog} lists (fired by an earlier child); fired ones are appended there. */
    public static void arm(List<Fault> faults, Path firedLog) throws IOException {
        List<Integer> fired = firedIds(firedLog);
        ARMED.clear();
        PROGRESS.set(-1);
        for (Fault f : faults) {
            if (!fired.contains(f.id())) {
                ARMED.put(f.id(), f);
            }
        }
        SoakFaults.firedLog = firedLog;
    }

    /**
     * The ids of the faults {@code firedLog} lists (none if it does not exist). A line torn by a kill is skipped: its
     * fault may then fire once more, which only adds a failure.
     */
    public static List<Integer> firedIds(Path firedLog) throws IOException {
        if (!Files.exists(firedLog)) {
            return List.of();
        }
        return Files.readAllLines(firedLog, StandardCharsets.UTF_8).stream()
                .filter(l -> l.matches("\\d{1,9} .*"))
                .map(l -> Integer.parseInt(l.substring(0, l.indexOf(' '))))
                .toList();
    }

    /** The job has read position {@code seq} of some split. */
    static void progress(long seq) {
        if (seq > PROGRESS.get()) {
            PROGRESS.accumulateAndGet(seq, Math::max);
        }
    }

    /**
     * Throws {@link InjectedFault} if an armed fault of {@code kind} is due (read far enough, or not waiting for
     * progress); it is then disarmed for good. Does nothing otherwise.
     */
    static void maybeFail(FaultKind kind) {
        if (ARMED.isEmpty()) {
            return;
        }
        long progress = PROGRESS.get();
        for (Fault f : ARMED.values()) {
            if (f.kind() == kind && (!kind.armedByProgress() || progress >= f.atSeq()) && ARMED.remove(f.id()) != null) {
                logFired(f);
                throw new InjectedFault(f);
            }
        }
    }

    private static void logFired(Fault f) {
        Path log = firedLog;
        if (log == null) {
            return;
        }
        try {
            // Written before the throw, so a kill right after it cannot make a resumed child fire the fault again.
            // The leading line end keeps an entry whole after a torn one.
            Files.writeString(log, "\n" + f.id() + " " + f + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.DSYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("soak: cannot log fired fault " + f + " in " + log, e);
        }
    }
}
