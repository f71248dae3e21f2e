package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The pure parts of the Nexmark runner ({@link NexmarkRunner}): configurations, parsed run lines, medians and ratios,
 * the {@code RESULT} line, the sorted-output diff and the Flink flags read from {@code run-flink.sh}. No processes, no
 * files beyond what callers pass in; unit-tested without running an engine.
 */
final class NexmarkResults {
    private NexmarkResults() {}


    /** One query in one configuration. */
    record Config(String query, int parallelism, String backend) {
        @Override
        public String toString() {
            return "query=" + query + " parallelism=" + parallelism + " backend=" + backend;
        }
    }

    /** What one run printed: its {@code NEXMARK} line's fields, and its peak RSS in MiB ({@code -1}: unknown). */
    record Run(Map<String, String> fields, long rssMb) {
        /** A run from its line; the RSS is {@code timeRssKb} (from {@code /usr/bin/time}) if known, else the line's. */
        static Run of(String line, long timeRssKb) {
            Map<String, String> fields = parseLine(line);
            long rss = timeRssKb >= 0 ? Math.round(timeRssKb / 1024.0)
                    : Long.parseLong(fields.getOrDefault("peak_rss_mb", "-1"));
            return new Run(fields, rss);
        }

        double eps() {
            return Double.parseDouble(fields.get("eps"));
        }

        /** The run's time in seconds ({@code millis}), NaN if the line has none. */
        double seconds() {
            String millis = fields.get("millis");
            return millis == null ? Double.NaN : Long.parseLong(millis) / 1000.0;
        }

        String results() {
            return fields.get("results");
        }

        /** The digest of a run that has none (a Sluice run on a cluster). */
        static final String NO_DIGEST = "0000000000000000";

        String digest() {
            return fields.get("digest");
        }
    }

    /** One round: Sluice, Flink, the loop; a run that failed is {@code null}. */
    record Round(Run sluice, Run flink, Run loop) {
        /** What disagrees between the runs' result counts and digests, or {@code null} if nothing does. */
        String mismatch() {
            List<String> problems = new ArrayList<>();
            if (sluice != null && flink != null && !sameResults(sluice, flink)) {
                problems.add("sluice " + sluice.results() + "/" + sluice.digest() + " != flink " + flink.results()
                        + "/" + flink.digest());
            }
            if (sluice != null && loop != null && !sameResults(sluice, loop)) {
                problems.add("sluice " + sluice.results() + "/" + sluice.digest() + " != loop " + loop.results()
                        + "/" + loop.digest());
            } else if (sluice == null && flink != null && loop != null && !sameResults(flink, loop)) {
                problems.add("flink " + flink.results() + "/" + flink.digest() + " != loop " + loop.results()
                        + "/" + loop.digest());
            }
            return problems.isEmpty() ? null : String.join("; ", problems);
        }

        private static boolean sameResults(Run a, Run b) {
            // A run on a cluster has no digest (its results are counted in the workers): its count must agree.
            return a.results().equals(b.results())
                    && (a.digest().equals(b.digest()) || a.digest().equals(Run.NO_DIGEST) || b.digest().equals(Run.NO_DIGEST));
        }
    }

    /** The median of {@code values} (the mean of the middle two for an even count); NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** {@code value} of every round whose run is there. */
    private static List<Double> each(List<Round> rounds, java.util.function.Function<Round, Run> run,
            ToDoubleFunction<Run> value) {
        List<Double> values = new ArrayList<>();
        for (Round r : rounds) {
            Run x = run.apply(r);
            if (x != null) {
                values.add(value.applyAsDouble(x));
            }
        }
        return values;
    }

    /** Per round with both runs there, {@code a}'s eps / {@code b}'s eps. */
    private static List<Double> ratios(List<Round> rounds, java.util.function.Function<Round, Run> a,
            java.util.function.Function<Round, Run> b) {
        List<Double> values = new ArrayList<>();
        for (Round r : rounds) {
            Run x = a.apply(r);
            Run y = b.apply(r);
            if (x != null && y != null && y.eps() > 0) {
                values.add(x.eps() / y.eps());
            }
        }
        return values;
    }

    /**
     * The summary of one configuration's rounds. Medians over the rounds; {@code ratio} is the median of the rounds'
     * Sluice/Flink ratios ({@code ratioMin}, {@code ratioMax} their range); {@code loopRatio} the median of the rounds'
     * Sluice/loop ratios; {@code efficiency} the protocol's "Sluice at parallelism 1 / loop": at parallelism 1 the
     * same as {@code loopRatio}, at higher parallelism the parallelism-1 line's of the same query, backend and
     * checkpoint interval (NaN if that was not run). {@code check}: the bounded correctness check ({@code ok},
     * {@code mismatch}, {@code failed}: a run failed, {@code skipped}); {@code digests}: the rounds' counts and
     * digests ({@code ok}, {@code mismatch}); {@code failedRuns}: runs without a line; {@code minRunSeconds}: the
     * shortest Sluice or Flink run (the protocol wants at least 10 s).
     */
    record Summary(Config config, long events, String checkpoint, int rounds, double sluiceEps, double flinkEps,
            double ratio, double ratioMin, double ratioMax, double loopEps, double loopRatio, double efficiency,
            double sluiceRssMb, double flinkRssMb, double minRunSeconds, String check, String digests, int failedRuns,
            String jdk) {

        static Summary of(Config config, long events, String checkpoint, List<Round> rounds, String check, String jdk) {
            List<Double> ratios = ratios(rounds, Round::sluice, Round::flink);
            List<Double> loopRatios = ratios(rounds, Round::sluice, Round::loop);
            List<Double> rss = each(rounds, Round::sluice, Run::rssMb);
            List<Double> flinkRss = each(rounds, Round::flink, Run::rssMb);
            rss.removeIf(v -> v < 0);
            flinkRss.removeIf(v -> v < 0);
            int failed = 0;
            boolean mismatch = false;
            for (Round r : rounds) {
                failed += (r.sluice() == null ? 1 : 0) + (r.flink() == null ? 1 : 0) + (r.loop() == null ? 1 : 0);
                mismatch |= r.mismatch() != null;
            }
            double loopRatio = median(loopRatios);
            List<Double> seconds = each(rounds, Round::sluice, Run::seconds);
            seconds.addAll(each(rounds, Round::flink, Run::seconds));
            return new Summary(config, events, checkpoint, rounds.size(), median(each(rounds, Round::sluice, Run::eps)),
                    median(each(rounds, Round::flink, Run::eps)), median(ratios),
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    median(each(rounds, Round::loop, Run::eps)), loopRatio,
                    config.parallelism() == 1 ? loopRatio : Double.NaN, median(rss), median(flinkRss),
                    seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), check,
                    mismatch ? "mismatch" : "ok", failed, jdk);
        }

        /** This summary with the efficiency of its parallelism-1 counterpart among {@code all} (p > 1 only). */
        Summary withEfficiencyFrom(List<Summary> all) {
            if (config.parallelism() == 1) {
                return this;
            }
            for (Summary s : all) {
                if (s.config.parallelism() == 1 && s.config.query().equals(config.query())
                        && s.config.backend().equals(config.backend()) && s.checkpoint.equals(checkpoint)
                        && s.events == events) {
                    return new Summary(config, events, checkpoint, rounds, sluiceEps, flinkEps, ratio, ratioMin,
                            ratioMax, loopEps, loopRatio, s.efficiency, sluiceRssMb, flinkRssMb, minRunSeconds, check,
                            digests, failedRuns, jdk);
                }
            }
            return this;
        }

        boolean ok() {
            return (check.equals("ok") || check.equals("skipped")) && digests.equals("ok") && failedRuns == 0;
        }

        /**
         * The line (a contract: scripts read it). The first nine fields in this order, then extras:
         * <pre>
         * RESULT query=q5 parallelism=1 backend=heap sluice_eps=.. flink_eps=.. ratio=.. loop_eps=.. efficiency=..
         *        ratio_min=.. ratio_max=.. loop_ratio=.. sluice_rss_mb=.. flink_rss_mb=.. checkpoint=.. events=..
         *        pairs=.. min_run_s=.. check=.. digests=.. failed_runs=.. jdk=..
         * </pre>
         * (one line). Rates are events per second, rounded; ratios two decimals (two significant digits below 0.1);
         * RSS in MiB; {@code min_run_s} the shortest engine run in seconds; {@code na} where a value could not be
         * measured.
         */
        String format() {
            return "RESULT query=" + config.query() + " parallelism=" + config.parallelism() + " backend=" + config.backend()
                    + " sluice_eps=" + whole(sluiceEps) + " flink_eps=" + whole(flinkEps) + " ratio=" + twoDecimals(ratio)
                    + " loop_eps=" + whole(loopEps) + " efficiency=" + twoDecimals(efficiency)
                    + " ratio_min=" + twoDecimals(ratioMin) + " ratio_max=" + twoDecimals(ratioMax)
                    + " loop_ratio=" + twoDecimals(loopRatio)
                    + " sluice_rss_mb=" + whole(sluiceRssMb) + " flink_rss_mb=" + whole(flinkRssMb)
                    + " checkpoint=" + checkpoint + " events=" + events + " pairs=" + rounds
                    + " min_run_s=" + (Double.isNaN(minRunSeconds) ? "na" : String.format(Locale.ROOT, "%.1f", minRunSeconds))
                    + " check=" + check
                    + " digests=" + digests + " failed_runs=" + failedRuns + " jdk=" + jdk;
        }
    }

    static String whole(double v) {
        return Double.isNaN(v) ? "na" : Long.toString(Math.round(v));
    }

    /** Two decimals; below 0.1 two significant digits instead (an efficiency of 0.0011 is not 0.00). */
    static String twoDecimals(double v) {
        if (Double.isNaN(v)) {
            return "na";
        }
        return String.format(Locale.ROOT, v != 0 && Math.abs(v) < 0.1 ? "%.2g" : "%.2f", v);
    }

    /** The {@code key=value} fields of a {@code NEXMARK} line. */
    static Map<String, String> parseLine(String line) {
        String[] parts = line.trim().split(" +");
        if (parts.length == 0 || !parts[0].equals("NEXMARK")) {
            throw new IllegalArgumentException("not a NEXMARK line: " + line);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        for (String required : List.of("engine", "eps", "results", "digest")) {
            if (!fields.containsKey(required)) {
                throw new IllegalArgumentException("no " + required + "= in " + line);
            }
        }
        return fields;
    }

    /**
     * How two sorted result files differ: their line counts; the first line number (1-based) where they differ and
     * the two lines there ({@code null}: that file ended); by a merge of the sorted lines, how many lines only one has
     * (as multisets) and the first few of them. {@code bytesOnly}: the lines are equal but the bytes are not (line
     * endings, a missing last line break).
     */
    record Diff(int linesA, int linesB, int firstLine, String firstA, String firstB, int onlyA, int onlyB,
            List<String> examplesA, List<String> examplesB, boolean bytesOnly) {

        static final int EXAMPLES = 3;

        /** The difference of two sorted line lists, or {@code null} if they are equal. */
        static Diff of(List<String> a, List<String> b) {
            if (a.equals(b)) {
                return null;
            }
            int first = 0;
            while (first < a.size() && first < b.size() && a.get(first).equals(b.get(first))) {
                first++;
            }
            int i = 0;
            int j = 0;
            int onlyA = 0;
            int onlyB = 0;
            List<String> exA = new ArrayList<>();
            List<String> exB = new ArrayList<>();
            while (i < a.size() || j < b.size()) {
                int c = i == a.size() ? 1 : j == b.size() ? -1 : a.get(i).compareTo(b.get(j));
                if (c == 0) {
                    i++;
                    j++;
                } else if (c < 0) {
                    onlyA++;
                    if (exA.size() < EXAMPLES) {
                        exA.add(a.get(i));
                    }
                    i++;
                } else {
                    onlyB++;
                    if (exB.size() < EXAMPLES) {
                        exB.add(b.get(j));
                    }
                    j++;
                }
            }
            return new Diff(a.size(), b.size(), first + 1, first < a.size() ? a.get(first) : null,
                    first < b.size() ? b.get(first) : null, onlyA, onlyB, exA, exB, false);
        }

        /** The difference of two files of sorted lines, or {@code null} if they are byte-equal. */
        static Diff of(Path a, Path b) throws IOException {
            if (Files.mismatch(a, b) == -1) {
                return null;
            }
            List<String> linesA = Files.readAllLines(a, StandardCharsets.UTF_8);
            List<String> linesB = Files.readAllLines(b, StandardCharsets.UTF_8);
            Diff diff = of(linesA, linesB);
            return diff != null ? diff
                    : new Diff(linesA.size(), linesB.size(), 0, null, null, 0, 0, List.of(), List.of(), true);
        }

        /** A report, several lines, each starting with two spaces. */
        String describe(String nameA, String nameB) {
            int width = Math.max(nameA.length(), nameB.length()) + 1;
            String fa = String.format(Locale.ROOT, "%-" + width + "s", nameA + ":");
            String fb = String.format(Locale.ROOT, "%-" + width + "s", nameB + ":");
            StringBuilder s = new StringBuilder();
            s.append("  ").append(nameA).append(": ").append(linesA).append(" lines, ").append(nameB).append(": ")
                    .append(linesB).append(" lines");
            if (bytesOnly) {
                return s.append("; the lines are equal but the bytes differ (line endings?)").toString();
            }
            s.append("; first difference at line ").append(firstLine).append(":\n");
            s.append("    ").append(fa).append(' ').append(firstA == null ? "(end of file)" : firstA).append('\n');
            s.append("    ").append(fb).append(' ').append(firstB == null ? "(end of file)" : firstB).append('\n');
            s.append("  only in ").append(nameA).append(": ").append(onlyA).append(" lines");
            appendExamples(s, examplesA);
            s.append("\n  only in ").append(nameB).append(": ").append(onlyB).append(" lines");
            appendExamples(s, examplesB);
            return s.toString();
        }

        private static void appendExamples(StringBuilder s, List<String> examples) {
            if (!examples.isEmpty()) {
                s.append(", first: ").append(String.join(" | ", examples));
            }
        }
    }

    /** The flags in the {@code flink_flags=( ... )} block of {@code run-flink.sh}, one per line. */
    static List<String> flinkFlags(String script) {
        List<String> flags = new ArrayList<>();
        boolean in = false;
        for (String line : script.split("\n")) {
            String t = line.trim();
            if (!in) {
                in = t.equals("flink_flags=(");
            } else if (t.equals(")")) {
                return flags;
            } else if (!t.isEmpty() && !t.startsWith("#")) {
                flags.add(t);
            }
        }
        throw new IllegalArgumentException("no flink_flags=( ... ) block in run-flink.sh");
    }
}
