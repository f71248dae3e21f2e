package io.sluice.testing;

import java.util.List;

/**
 * What {@link ExactlyOnceVerifier#verify()} found: every record the verified sources emitted up to their committed
 * positions must have been committed exactly once. Lost, duplicated and unexpected records are listed with their
 * source coordinates and an explanation (the first {@value Verification#DETAILS} of each kind; the counts are exact).
 * {@link #toString()} is the summary with the first few of each. Immutable.
 */
public final class VerificationReport {

    /** A record that should have been committed and was not. */
    public record Lost(Tag tag, long checkpointId, String detail) {}

    /** A record committed more than once. */
    public record Duplicate(Tag tag, int times, List<Long> checkpointIds, String detail) {}

    /** A committed record beyond every committed source position (or of a split no source witnessed). */
    public record Unexpected(Tag tag, int times, String detail) {}

    /** How many of each kind {@link #toString()} shows. */
    private static final int SHOWN = 10;

    private final String checked;
    private final String ledger;
    private final int splits;
    private final long expected;
    private final long lostCount;
    private final List<Lost> lost;
    private final long duplicateCount;
    private final List<Duplicate> duplicates;
    private final long unexpectedCount;
    private final List<Unexpected> unexpected;
    private final String statistics;

    VerificationReport(String checked, String ledger, int splits, long expected, long lostCount, List<Lost> lost,
            long duplicateCount, List<Duplicate> duplicates, long unexpectedCount, List<Unexpected> unexpected,
            String statistics) {
        this.checked = checked;
        this.ledger = ledger;
        this.splits = splits;
        this.expected = expected;
        this.lostCount = lostCount;
        this.lost = List.copyOf(lost);
        this.duplicateCount = duplicateCount;
        this.duplicates = List.copyOf(duplicates);
        this.unexpectedCount = unexpectedCount;
        this.unexpected = List.copyOf(unexpected);
        this.statistics = statistics;
    }

    /** Whether records were verified, none lost, none duplicated and none unexpected. */
    public boolean isExactlyOnce() {
        return expected > 0 && lostCount == 0 && duplicateCount == 0 && unexpectedCount == 0;
    }

    /** Throws an {@link AssertionError} with this report unless {@link #isExactlyOnce()}. */
    public void assertExactlyOnce() {
        if (!isExactlyOnce()) {
            throw new AssertionError(toString());
        }
    }

    /** For at-least-once jobs: throws an {@link AssertionError} with this report if a record was lost (or none verified). */
    public void assertNothingLost() {
        if (expected == 0 || lostCount > 0) {
            throw new AssertionError(toString());
        }
    }

    /** The records the sources emitted up to their committed positions: what must be committed once each. */
    public long expectedRecords() {
        return expected;
    }

    public long lostCount() {
        return lostCount;
    }

    /** The first lost records, by split and offset. */
    public List<Lost> lost() {
        return lost;
    }

    public long duplicateCount() {
        return duplicateCount;
    }

    /** The first duplicated records, by split and offset. */
    public List<Duplicate> duplicates() {
        return duplicates;
    }

    public long unexpectedCount() {
        return unexpectedCount;
    }

    /** The first unexpected records, by split and offset. */
    public List<Unexpected> unexpected() {
        return unexpected;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (expected == 0) {
            out.append("nothing verified: no committed source position in the ledger ").append(ledger)
                    .append(" (did the job read its sources through ExactlyOnceVerifier.fromSource, and did a checkpoint"
                            + " complete or the job finish?)");
        } else if (isExactlyOnce()) {
            out.append("exactly-once: ").append(expected).append(" records of ").append(splits)
                    .append(" splits, each once in ").append(checked);
        } else {
            out.append("exactly-once violated in ").append(checked).append(": ").append(lostCount).append(" lost, ")
                    .append(duplicateCount).append(" duplicated, ").append(unexpectedCount).append(" unexpected, of ")
                    .append(expected).append(" records of ").append(splits).append(" splits");
        }
        out.append(" (ledger ").append(ledger).append(": ").append(statistics).append(')');
        section(out, "lost", lostCount, lost.stream().map(l -> l.tag() + ": " + l.detail()).toList());
        section(out, "duplicated", duplicateCount, duplicates.stream().map(d -> d.tag() + ": " + d.detail()).toList());
        section(out, "unexpected", unexpectedCount, unexpected.stream().map(u -> u.tag() + ": " + u.detail()).toList());
        return out.toString();
    }

    private static void section(StringBuilder out, String title, long count, List<String> lines) {
        if (count == 0) {
            return;
        }
        int shown = Math.min(SHOWN, lines.size());
        out.append("\n").append(title).append(" (").append(count).append(shown < count ? ", the first " + shown : "")
                .append("):");
        for (String line : lines.subList(0, shown)) {
            out.append("\n  ").append(line);
        }
    }
}
