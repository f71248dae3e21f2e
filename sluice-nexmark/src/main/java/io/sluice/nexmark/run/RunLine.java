package io.sluice.nexmark.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one line a Nexmark run prints, engine-neutral (JDK only), so that runs of every engine and of the plain loops
 * can be collected and compared by script:
 *
 * <pre>
 * NEXMARK engine=sluice query=q5 events=2000000 parallelism=1 backend=heap checkpoint=none millis=1234 eps=1620745 results=5123 digest=00ab...
 * </pre>
 *
 * {@code millis} is the time from the first record to the job's end ({@link RunClock}), {@code eps} the events per
 * second over that time, {@code results} and {@code digest} (16 hex digits) what {@link ResultCounter} holds.
 * {@code checkpoint} is the interval as given (e.g. {@code 10s}) or {@code none}. {@code peak_rss_mb} is the peak
 * resident set size of the process so far, in MiB ({@code VmHWM} of {@code /proc/self/status}, read when the line is
 * made, i.e. at the run's end); the field is left out where it is unknown ({@link #UNKNOWN}: not Linux, or a line
 * made without it). Values contain no spaces.
 */
public record RunLine(String engine, String query, long events, int parallelism, String backend, String checkpoint,
        long nanos, long results, long digest, long peakRssMb) {

    public static final String PREFIX = "NEXMARK";

    /** {@link #peakRssMb()} when it is not known: the line has no {@code peak_rss_mb} field. */
    public static final long UNKNOWN = -1;

    /** A line without a peak RSS ({@link #UNKNOWN}). */
    public RunLine(String engine, String query, long events, int parallelism, String backend, String checkpoint,
            long nanos, long results, long digest) {
        this(engine, query, events, parallelism, backend, checkpoint, nanos, results, digest, UNKNOWN);
    }

    /**
     * A line for a run that just ended: time from {@link RunClock}, results from {@link ResultCounter}, the peak RSS of
     * this process so far ({@link #currentPeakRssMb()}).
     */
    public static RunLine now(String engine, String query, long events, int parallelism, String backend, String checkpoint) {
        return new RunLine(engine, query, events, parallelism, backend, checkpoint, RunClock.elapsedNanos(),
                ResultCounter.count(), ResultCounter.digest(), currentPeakRssMb());
    }

    /**
     * The peak resident set size of this process so far, in MiB (rounded), from {@code VmHWM} in
     * {@code /proc/self/status}; {@link #UNKNOWN} where that cannot be read.
     */
    public static long currentPeakRssMb() {
        try {
            return peakRssMbOf(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** The {@code VmHWM} of a {@code /proc/<pid>/status} text in MiB (rounded), or {@link #UNKNOWN}. */
    public static long peakRssMbOf(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB")) {
                    return Math.round(Long.parseLong(parts[0]) / 1024.0);
                }
            }
        }
        return UNKNOWN;
    }

    /** Events per second from the first record to the end (0 if no time passed). */
    public long eventsPerSecond() {
        return nanos <= 0 ? 0 : Math.round(events * 1e9 / nanos);
    }

    public long millis() {
        return Math.round(nanos / 1e6);
    }

    /** The line, without a line break. */
    public String format() {
        return String.format(Locale.ROOT, "%s engine=%s query=%s events=%d parallelism=%d backend=%s checkpoint=%s "
                + "millis=%d eps=%d results=%d digest=%016x", PREFIX, engine, query, events, parallelism, backend,
                checkpoint, millis(), eventsPerSecond(), results, digest)
                + (peakRssMb == UNKNOWN ? "" : " peak_rss_mb=" + peakRssMb);
    }

    @Override
    public String toString() {
        return format();
    }

    /**
     * The {@code key=value} fields of a line printed by {@link #format()}, in order; fails on any other line. Lines with
     * fields more or fewer than {@link #format()} prints (e.g. without {@code peak_rss_mb}, as before it existed; the
     * Flink driver's {@code jdk=... flink=...}) parse the same way.
     */
    public static Map<String, String> parse(String line) {
        String[] parts = line.trim().split(" +");
        if (parts.length == 0 || !parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException("not a " + PREFIX + " line: " + line);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: '" + parts[i] + "' in " + line);
            }
            fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        return fields;
    }
}
