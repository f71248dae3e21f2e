package io.sluice.nexmark.run;

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
 * {@code checkpoint} is the interval as given (e.g. {@code 10s}) or {@code none}. Values contain no spaces.
 */
public record RunLine(String engine, String query, long events, int parallelism, String backend, String checkpoint,
        long nanos, long results, long digest) {

    public static final String PREFIX = "NEXMARK";

    /** A line for a run that just ended: time from {@link RunClock}, results from {@link ResultCounter}. */
    public static RunLine now(String engine, String query, long events, int parallelism, String backend, String checkpoint) {
        return new RunLine(engine, query, events, parallelism, backend, checkpoint, RunClock.elapsedNanos(),
                ResultCounter.count(), ResultCounter.digest());
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
                checkpoint, millis(), eventsPerSecond(), results, digest);
    }

    @Override
    public String toString() {
        return format();
    }

    /** The {@code key=value} fields of a line printed by {@link #format()}, in order; fails on any other line. */
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
