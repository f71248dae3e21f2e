package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a ledger: the records that must be committed are, per split, the offsets from 0 up to the furthest position
 * any committed witness transaction recorded (a checkpoint's, or the end of input's); each must be committed exactly
 * once, by the committed transactions of the verified sinks, or, when given, in the sink's visible output. Then
 * explains the first few findings from the ledger: which checkpoint covered a lost record and which transactions held
 * it, which transactions committed a duplicate.
 *
 * <p>Reads the ledger in streaming passes (committed ids and witnesses; counting; explaining), holding per split two
 * bit sets over its offsets, never the tags themselves. Offsets must stay below 2^31 per split. Single-threaded.
 */
final class Verification {
    /** How many findings of each kind a report keeps. */
    static final int DETAILS = 1000;

    /** A transaction the ledger knows. */
    private record Transaction(String id, long checkpointId, int subtask) {}

    /** A committed witness position of one split: the checkpoint's barrier left the split at {@code position}. */
    private record Coverage(long checkpointId, int subtask, long position) {}

    /** Per split: offsets seen once or more, and twice or more. */
    private static final class Counts {
        final BitSet once = new BitSet();
        final BitSet twice = new BitSet();

        void add(String split, long offset) {
            if (offset > Integer.MAX_VALUE - 1) {
                throw new IllegalStateException("split " + split + " has an offset beyond 2^31 - 2 (" + offset
                        + "), more than the verifier counts per split");
            }
            int o = (int) offset;
            if (once.get(o)) {
                twice.set(o);
            } else {
                once.set(o);
            }
        }
    }

    private final Path ledger;
    private final Map<String, Transaction> tagTransactions = new HashMap<>();
    private final Set<String> committed = new HashSet<>();
    private final List<LedgerReader.PreCommit> witnessed = new ArrayList<>();
    private final Map<String, List<Coverage>> coverage = new TreeMap<>();
    private final Map<String, Long> ends = new TreeMap<>();
    private final Map<String, Counts> counts = new TreeMap<>();

    private Verification(Path ledger) {
        this.ledger = ledger;
    }

    /** Checks the ledger in {@code ledger}; against {@code output} (the tags of the sink's visible output) if given. */
    static VerificationReport verify(Path ledger, Collection<Tag> output) throws IOException {
        return new Verification(ledger).run(output);
    }

    private VerificationReport run(Collection<Tag> output) throws IOException {
        readTransactions();
        readCoverage();
        if (output == null) {
            forEachTag(true, (tx, split, offset) -> count(split, offset));
        } else {
            for (Tag tag : output) {
                count(tag.split(), tag.offset());
            }
        }
        List<Tag> lost = new ArrayList<>();
        long lostCount = findLost(lost);
        List<Tag> duplicated = new ArrayList<>();
        List<Tag> unexpected = new ArrayList<>();
        long duplicateCount = 0;
        long unexpectedCount = 0;
        for (Map.Entry<String, Counts> e : counts.entrySet()) {
            duplicateCount += collect(e.getKey(), e.getValue().twice, 0, duplicated);
            long end = ends.getOrDefault(e.getKey(), 0L);
            unexpectedCount += collect(e.getKey(), e.getValue().once, end, unexpected);
        }
        Map<Tag, List<Transaction>> holders = holdersOf(lost, duplicated, unexpected);
        Map<Tag, Integer> times = output == null ? committedTimes(holders) : outputTimes(output, duplicated, unexpected);
        return new VerificationReport(output == null ? "the committed transactions of the verified sinks" : "the output",
                ledger.toString(), ends.size(), ends.values().stream().mapToLong(Long::longValue).sum(),
                lostCount, lost.stream().map(t -> explainLost(t, holders.get(t), output != null)).toList(),
                duplicateCount, duplicated.stream().map(t -> explainDuplicate(t, times.get(t), holders.get(t))).toList(),
                unexpectedCount, unexpected.stream().map(t -> explainUnexpected(t, times.get(t), holders.get(t))).toList(),
                statistics());
    }

    /** Pass 1: every transaction's identity, every commit, the witnesses' lines. */
    private void readTransactions() throws IOException {
        LedgerReader.read(ledger, new LedgerReader.Visitor() {
            @Override
            public void preCommitted(LedgerReader.PreCommit t) {
                if (t.kind() == 'W') {
                    witnessed.add(t);
                } else {
                    tagTransactions.put(t.id(), new Transaction(t.id(), t.checkpointId(), t.subtask()));
                }
            }

            @Override
            public void committed(String id) {
                committed.add(id);
            }
        });
    }

    /** The committed witness positions: per split, which checkpoints covered how much of it, and how far in all. */
    private void readCoverage() throws IOException {
        for (LedgerReader.PreCommit w : witnessed) {
            if (committed.contains(w.id())) {
                for (Map.Entry<String, Long> p : w.positions().entrySet()) {
                    coverage.computeIfAbsent(p.getKey(), k -> new ArrayList<>())
                            .add(new Coverage(w.checkpointId(), w.subtask(), p.getValue()));
                    ends.merge(p.getKey(), p.getValue(), Math::max);
                }
            }
        }
        coverage.values().forEach(c -> c.sort(Comparator.comparingLong(Coverage::checkpointId)
                .thenComparingLong(Coverage::position)));
    }

    /** Receives the tags of the ledger's tag transactions. */
    @FunctionalInterface
    private interface TransactionTagConsumer {
        void accept(Transaction transaction, String split, long offset);
    }

    /** Passes every tag of every tag transaction (only the committed ones if {@code committedOnly}) to {@code consumer}. */
    private void forEachTag(boolean committedOnly, TransactionTagConsumer consumer) throws IOException {
        LedgerReader.read(ledger, new LedgerReader.Visitor() {
            @Override
            public void preCommitted(LedgerReader.PreCommit t) throws IOException {
                if (t.kind() == 'T' && (!committedOnly || committed.contains(t.id()))) {
                    Transaction tx = tagTransactions.get(t.id());
                    t.forEachTag((split, offset) -> consumer.accept(tx, split, offset));
                }
            }

            @Override
            public void committed(String id) {}
        });
    }

    private void count(String split, long offset) {
        counts.computeIfAbsent(split, s -> new Counts()).add(split, offset);
    }

    /** The offsets below each split's end that were not seen: how many, and the first ones into {@code into}. */
    private long findLost(List<Tag> into) {
        long count = 0;
        for (Map.Entry<String, Long> e : ends.entrySet()) {
            BitSet once = counts.containsKey(e.getKey()) ? counts.get(e.getKey()).once : new BitSet();
            long end = e.getValue();
            for (int o = once.nextClearBit(0); o < end; o = once.nextClearBit(o + 1)) {
                count++;
                if (into.size() < DETAILS) {
                    into.add(new Tag(e.getKey(), o));
                }
            }
        }
        return count;
    }

    /** The set bits of {@code bits} from {@code from} on: how many, and the first ones into {@code into}. */
    private static long collect(String split, BitSet bits, long from, List<Tag> into) {
        long count = 0;
        for (int o = bits.nextSetBit((int) Math.min(from, Integer.MAX_VALUE)); o >= 0; o = bits.nextSetBit(o + 1)) {
            count++;
            if (into.size() < DETAILS) {
                into.add(new Tag(split, o));
            }
        }
        return count;
    }

    /** Pass 3: which transactions (committed or not) held each of the listed tags, once per occurrence. */
    @SafeVarargs
    private Map<Tag, List<Transaction>> holdersOf(List<Tag>... lists) throws IOException {
        Map<Tag, List<Transaction>> holders = new HashMap<>();
        for (List<Tag> list : lists) {
            list.forEach(t -> holders.put(t, new ArrayList<>()));
        }
        if (!holders.isEmpty()) {
            forEachTag(false, (tx, split, offset) -> {
                List<Transaction> h = holders.get(new Tag(split, offset));
                if (h != null) {
                    h.add(tx);
                }
            });
        }
        return holders;
    }

    private Map<Tag, Integer> committedTimes(Map<Tag, List<Transaction>> holders) {
        Map<Tag, Integer> times = new HashMap<>();
        holders.forEach((tag, txs) -> times.put(tag, (int) txs.stream().filter(t -> committed.contains(t.id())).count()));
        return times;
    }

    private static Map<Tag, Integer> outputTimes(Collection<Tag> output, List<Tag> duplicated, List<Tag> unexpected) {
        Map<Tag, Integer> times = new HashMap<>();
        duplicated.forEach(t -> times.put(t, 0));
        unexpected.forEach(t -> times.put(t, 0));
        for (Tag tag : output) {
            times.computeIfPresent(tag, (t, n) -> n + 1);
        }
        return times;
    }

    private VerificationReport.Lost explainLost(Tag tag, List<Transaction> holders, boolean againstOutput) {
        Coverage cover = coverage.get(tag.split()).stream().filter(c -> c.position() > tag.offset()).findFirst().orElseThrow();
        String covered = describeCheckpoint(cover.checkpointId()) + " covered it (source subtask " + cover.subtask()
                + " had read the split up to offset " + cover.position() + ")";
        List<Transaction> committedHolders = holders.stream().filter(t -> committed.contains(t.id())).toList();
        String where;
        if (!committedHolders.isEmpty() && againstOutput) {
            where = "committed by " + describe(committedHolders) + ", but missing from the output";
        } else if (!holders.isEmpty()) {
            where = "held only by " + describe(holders) + ", never committed";
        } else {
            where = "held by no transaction of the verified sinks";
        }
        return new VerificationReport.Lost(tag, cover.checkpointId(), covered + "; " + where);
    }

    private VerificationReport.Duplicate explainDuplicate(Tag tag, int times, List<Transaction> holders) {
        List<Transaction> committedHolders = holders.stream().filter(t -> committed.contains(t.id())).toList();
        String detail = times + " times; ";
        if (committedHolders.size() >= 2) {
            detail += "committed by " + describe(committedHolders);
        } else if (committedHolders.size() == 1) {
            detail += "committed by one transaction, " + describe(committedHolders)
                    + ", and visible more often: a commit that is not idempotent, or a sink that wrote it twice";
        } else {
            detail += "committed by no transaction" + (holders.isEmpty() ? "" : " (held by " + describe(holders) + ")");
        }
        return new VerificationReport.Duplicate(tag, times,
                committedHolders.stream().map(Transaction::checkpointId).toList(), detail);
    }

    private VerificationReport.Unexpected explainUnexpected(Tag tag, int times, List<Transaction> holders) {
        Long end = ends.get(tag.split());
        String why = end == null ? "from a split no committed witness position names"
                : "beyond the furthest committed position of its split (" + end + ")";
        String where = holders.isEmpty() ? "in no transaction of the verified sinks" : "held by " + describe(holders);
        return new VerificationReport.Unexpected(tag, times, times + " times, " + why + "; " + where);
    }

    private String describe(List<Transaction> transactions) {
        return transactions.stream().map(t -> "transaction " + t.id() + " (" + describeCheckpoint(t.checkpointId())
                + ", sink subtask " + t.subtask() + (committed.contains(t.id()) ? "" : ", not committed") + ")")
                .collect(Collectors.joining(" and "));
    }

    static String describeCheckpoint(long checkpointId) {
        if (checkpointId == Long.MAX_VALUE) {
            return "the end of input";
        }
        return checkpointId == VerifiedTransaction.FINISHED ? "finish()" : "checkpoint " + checkpointId;
    }

    private String statistics() {
        long committedTags = tagTransactions.keySet().stream().filter(committed::contains).count();
        Set<Long> checkpoints = new HashSet<>();
        witnessed.stream().filter(w -> committed.contains(w.id())).forEach(w -> checkpoints.add(w.checkpointId()));
        return committedTags + " committed and " + (tagTransactions.size() - committedTags)
                + " uncommitted transactions of the verified sinks, " + checkpoints.size() + " checkpoints witnessed";
    }
}
