package io.sluice.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Assertions that a verification report names exactly the records a test's fault lost or duplicated. */
final class Findings {
    private Findings() {}

    /**
     * {@code report} finds exactly {@code lost} and {@code duplicated} (exact counts, and as details the first
     * {@link Verification#DETAILS} of each in tag order) and nothing unexpected.
     */
    static void assertFinds(VerificationReport report, Set<Tag> lost, Set<Tag> duplicated, String context) {
        check("lost", report.lost().stream().map(VerificationReport.Lost::tag).toList(), report.lostCount(), lost,
                context, report);
        check("duplicated", report.duplicates().stream().map(VerificationReport.Duplicate::tag).toList(),
                report.duplicateCount(), duplicated, context, report);
        if (report.unexpectedCount() != 0) {
            throw new AssertionError(context + ": unexpected records reported\n" + report);
        }
    }

    private static void check(String kind, List<Tag> listed, long count, Set<Tag> oracle, String context,
            VerificationReport report) {
        List<Tag> expected = new ArrayList<>(new TreeSet<>(oracle)).subList(0, Math.min(oracle.size(), Verification.DETAILS));
        if (count != oracle.size() || !listed.equals(expected)) {
            Set<Tag> missing = new TreeSet<>(expected);
            listed.forEach(missing::remove);
            Set<Tag> extra = new TreeSet<>(listed);
            expected.forEach(extra::remove);
            throw new AssertionError(context + ": " + count + " " + kind + " reported, " + oracle.size()
                    + " expected; not reported: " + first(missing) + "; reported but not expected: " + first(extra)
                    + "\n" + report);
        }
    }

    private static String first(Set<Tag> tags) {
        return tags.size() + " " + tags.stream().limit(5).toList();
    }
}
