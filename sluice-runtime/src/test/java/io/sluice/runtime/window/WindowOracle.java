package io.sluice.runtime.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brute-force window results, written from the definitions and sharing no code with the operator: which windows hold
 * a timestamp, what sessions a key's timestamps form, and (for non-merging windows) a direct simulation of allowed
 * lateness. Results are lines {@code key|start|end|total} where total is the sum of the records' values.
 */
final class WindowOracle {
    private WindowOracle() {}

    enum Kind { TUMBLING, SLIDING, SESSION }

    /** A window definition: size and slide for tumbling (slide = size) and sliding, gap for sessions. */
    record Spec(Kind kind, long size, long slide, long gap) {
        static Spec tumbling(long size) {
            return new Spec(Kind.TUMBLING, size, size, 0);
        }

        static Spec sliding(long size, long slide) {
            return new Spec(Kind.SLIDING, size, slide, 0);
        }

        static Spec session(long gap) {
            return new Spec(Kind.SESSION, 0, 0, gap);
        }

        /** The [start, end) pairs of the windows of size {@code size} starting at multiples of {@code slide} holding ts. */
        List<long[]> windowsOf(long ts) {
            List<long[]> windows = new ArrayList<>();
            for (long k = Math.floorDiv(ts - size, slide) - 1; k <= Math.floorDiv(ts, slide) + 1; k++) {
                long start = k * slide;
                if (start <= ts && ts < start + size) {
                    windows.add(new long[] {start, start + size});
                }
            }
            return windows;
        }
    }

    /** A record: key, value, timestamp. */
    record In(String key, long value, long ts) {}

    static String line(String key, long start, long end, long total) {
        return key + "|" + start + "|" + end + "|" + total;
    }

    /** Every window once, with all its records: what a stream without late records gives. */
    static List<String> complete(List<In> records, Spec spec) {
        List<String> out = new ArrayList<>();
        if (spec.kind() == Kind.SESSION) {
            Map<String, TreeMap<Long, Long>> byKey = new TreeMap<>(); // key -> ts -> total at ts
            for (In r : records) {
                byKey.computeIfAbsent(r.key(), k -> new TreeMap<>()).merge(r.ts(), r.value(), Long::sum);
            }
            byKey.forEach((key, totals) -> {
                long first = 0;
                long last = 0;
                long total = 0;
                boolean open = false;
                for (Map.Entry<Long, Long> e : totals.entrySet()) {
                    if (open && e.getKey() > last + spec.gap()) { // windows [t, t+gap) that touch merge
                        out.add(line(key, first, last + spec.gap(), total));
                        open = false;
                    }
                    if (!open) {
                        first = e.getKey();
                        total = 0;
                        open = true;
                    }
                    last = e.getKey();
                    total += e.getValue();
                }
                if (open) {
                    out.add(line(key, first, last + spec.gap(), total));
                }
            });
            return out;
        }
        Map<String, Long> totals = new LinkedHashMap<>(); // "key|start|end" -> total
        for (In r : records) {
            for (long[] w : spec.windowsOf(r.ts())) {
                totals.merge(r.key() + "|" + w[0] + "|" + w[1], r.value(), Long::sum);
            }
        }
        totals.forEach((window, total) -> out.add(window + "|" + total));
        return out;
    }

    /** What a simulated run of tumbling or sliding windows with allowed lateness emits, and which records are late. */
    static final class LatenessSimulation {
        private final Spec spec;
        private final long lateness;
        private final Map<String, Long> open = new HashMap<>(); // "key|start|end" -> total
        private long watermark = Long.MIN_VALUE;
        final List<String> fired = new ArrayList<>();
        final List<In> late = new ArrayList<>();

        LatenessSimulation(Spec spec, long lateness) {
            this.spec = spec;
            this.lateness = lateness;
        }

        private static long end(String window) {
            return Long.parseLong(window.substring(window.lastIndexOf('|') + 1));
        }

        /** The watermark has passed the window's cleanup time ({@code maxTimestamp + lateness}, saturating). */
        private boolean gone(long maxTimestamp) {
            long cleanup = maxTimestamp + lateness < maxTimestamp ? Long.MAX_VALUE : maxTimestamp + lateness;
            return cleanup <= watermark;
        }

        void record(In r) {
            boolean taken = false;
            for (long[] w : spec.windowsOf(r.ts())) {
                if (gone(w[1] - 1)) {
                    continue;
                }
                taken = true;
                String window = r.key() + "|" + w[0] + "|" + w[1];
                long total = open.merge(window, r.value(), Long::sum);
                if (w[1] - 1 <= watermark) {
                    fired.add(window + "|" + total); // a late firing
                }
            }
            if (!taken && gone(r.ts())) {
                late.add(r);
            }
        }

        void watermark(long wm) {
            long previous = watermark;
            watermark = wm;
            for (Map.Entry<String, Long> e : open.entrySet()) {
                long max = end(e.getKey()) - 1;
                if (max > previous && max <= wm) {
                    fired.add(e.getKey() + "|" + e.getValue());
                }
            }
            open.keySet().removeIf(w -> gone(end(w) - 1));
        }
    }
}
