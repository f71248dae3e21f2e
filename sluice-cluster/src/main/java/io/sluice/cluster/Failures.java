package io.sluice.cluster;

/** How the cluster's processes put a failure into one line of a log, a reply or a report. */
public final class Failures {
    private Failures() {}

    /** The failure's message on one line, or its class where it has none: never the word null. */
    public static String oneLine(Throwable t) {
        String m = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
        return m.replace('\n', ' ');
    }
}
