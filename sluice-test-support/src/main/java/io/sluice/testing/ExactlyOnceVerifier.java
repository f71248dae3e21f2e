package io.sluice.testing;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.sink.TwoPhaseCommitSink;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceSplit;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a job under test never loses and never duplicates a record, after any number of failures, restarts and
 * resumes: every record its sources emitted up to the positions that completed checkpoints (or the end of input)
 * recorded must be committed by its transactional sink exactly once.
 *
 * <pre>{@code
 * ExactlyOnceVerifier verifier = ExactlyOnceVerifier.open(ledgerDir);
 * verifier.fromSource(env, new SequenceSource(1, 100_000, 0), "numbers")        // Tagged<Long>
 *         .map(Tagging.map(v -> "n" + v), Tagged.type(Types.STRING))           // the tag goes along
 *         .sinkTo(verifier.sink(new TransactionalFileSink<>(outputDir)));     // any TwoPhaseCommitSink
 * env.execute("job under test");                                             // failures, restarts...
 * verifier.verify().assertExactlyOnce();
 * }</pre>
 *
 * <h2>How</h2>
 * <ul>
 *   <li><b>Tags.</b> {@link #fromSource} wraps the source: each record comes out {@link Tagged} with its split and its
 *       offset in the split (0, 1, 2...). The offset to continue from is part of the split, so it is checkpointed with
 *       the split and continues across restores. The job carries the tag to the sink and may change the value.</li>
 *   <li><b>Witness.</b> {@code fromSource} also chains a small transactional sink to the source, its witness: at each
 *       checkpoint it pre-commits where the checkpoint's barrier left each split, and the runtime commits that when the
 *       checkpoint completes (and at the end of input, the final positions once the job succeeded). A source reader is
 *       never told the checkpoint's id; a sink in its task is, and sees the source's records in order.</li>
 *   <li><b>Verified sink.</b> {@link #sink} wraps the sink under test: each transaction writes down the tags of its
 *       records when it is pre-committed, and that it was committed when the runtime's commit returned. Repeated
 *       commits of one transaction (recovery commits again) count once; the same record in two transactions counts
 *       twice.</li>
 *   <li><b>Ledger.</b> All of it goes to files in the ledger directory, one append-only file per writer: it outlives
 *       restarts in this JVM and killed processes, so a job resumed by another process adds to the same ledger.</li>
 *   <li><b>Check.</b> {@link #verify()} after the job: per split, every offset below the furthest committed witness
 *       position must be in exactly one committed transaction. {@link #verify(Collection)} checks the sink's visible
 *       output instead (read back by the test), which also catches a sink that loses or repeats what it was told to
 *       commit; the ledger then explains each finding.</li>
 * </ul>
 *
 * <h2>Rules for the job</h2>
 * <ul>
 *   <li>Records are checked one by one: each source record must reach the verified sinks exactly once (a filter or a
 *       flat map that drops or multiplies records makes them lost or duplicated). Aggregates, such as counts over
 *       many records, are checked by the test's own oracle; the verifier checks the records that feed them, e.g. on a
 *       side output of the aggregating function into {@link #ledgerSink()}.</li>
 *   <li>The source's reader must emit every record through {@code SourceOutput.forSplit(splitId)}, and its split ids
 *       must be stable ({@code SourceSplit.splitId}); otherwise the job fails saying so.</li>
 *   <li>Set the source's parallelism with {@code env.setParallelism} before {@code fromSource}: the witness must run
 *       chained to the source (the job fails saying so if not).</li>
 *   <li>One ledger directory per job under test (with all its runs), one verifier per job definition (a resumed job
 *       opens the same directory again); verify after the job ended, failed or was cancelled, not while it runs.</li>
 * </ul>
 *
 * <h2>What it cannot see</h2>
 * A split's records are known only up to its furthest committed position: records no committed checkpoint or end of
 * input ever covered are not expected (for example those of a split that a broken restore skipped to its end and no
 * later run read again). Offsets must stay below 2^31 per split. The ledger is not fsynced: it survives killed
 * processes, not machine crashes; a process killed between a sink's commit and the ledger line that records it (the
 * job's very last commits, which no recovery repeats) leaves the record committed but unrecorded: {@link #verify()}
 * then reports it lost where {@link #verify(Collection)} sees it in the output.
 *
 * <p>Threading: build the job and verify from one thread. What the verifier adds to the job runs on the job's task
 * threads and shares nothing but the ledger's files.
 */
public final class ExactlyOnceVerifier {

    private final Path ledger;
    private final Set<String> sources = new HashSet<>();

    private ExactlyOnceVerifier(Path ledger) {
        this.ledger = ledger;
    }

    /**
     * A verifier whose ledger is the directory {@code ledgerDirectory}, created if needed. A ledger already there is
     * continued: a job resumed from a checkpoint (perhaps by another process) adds to the ledger of its earlier runs.
     */
    public static ExactlyOnceVerifier open(Path ledgerDirectory) throws IOException {
        Objects.requireNonNull(ledgerDirectory, "ledgerDirectory");
        if (Files.exists(ledgerDirectory) && !Files.isDirectory(ledgerDirectory)) {
            throw new IllegalArgumentException("the verifier's ledger must be a directory; " + ledgerDirectory + " is a file");
        }
        Path directory = ledgerDirectory.toAbsolutePath();
        Files.createDirectories(directory);
        return new ExactlyOnceVerifier(directory);
    }

    /** The ledger directory. */
    public Path ledgerDirectory() {
        return ledger;
    }

    /** {@link #fromSource(StreamEnvironment, Source, WatermarkStrategy, String)} without watermarks. */
    public <T> DataStream<Tagged<T>> fromSource(StreamEnvironment env, Source<T, ?> source, String name) {
        return fromSource(env, source, WatermarkStrategy.noWatermarks(), name);
    }

    /**
     * A stream read by {@code source} (as {@code env.fromSource} would), each record {@link Tagged} with its split and
     * offset, and the source's witness chained to it. Timestamps the reader gives stay; a timestamp assigner of
     * {@code watermarks} sees the tagged record. Give the returned stream a {@code uid} as you would the source's.
     *
     * @param name the operator's name, also the prefix of the tags' split ids: unique among this verifier's sources,
     *             and the same in every run of the job (a resumed run's witness finds its state by it)
     */
    public <T> DataStream<Tagged<T>> fromSource(StreamEnvironment env, Source<T, ?> source,
            WatermarkStrategy<Tagged<T>> watermarks, String name) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(watermarks, "watermarks");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a verified source needs a name: it prefixes the split ids of its tags");
        }
        if (!sources.add(name)) {
            throw new IllegalArgumentException("this verifier already has a source named '" + name
                    + "': the names prefix the split ids of the tags, so they must differ");
        }
        String chainKey = ledger + "\n" + name;
        DataStream<Tagged<T>> stream = env.fromSource(tagged(source, name, chainKey), watermarks, name);
        stream.sinkTo(new VerifiedSink<Tagged<T>, Serializable>(new NoOutputSink<>(), Tagged::tag, ledger,
                        VerifiedSink.Kind.POSITIONS, chainKey))
                .name(name + " (exactly-once witness)").uid("sluice-verifier-witness/" + name);
        return stream;
    }

    private static <T, S extends SourceSplit> TaggedSource<T, S> tagged(Source<T, S> source, String name, String chainKey) {
        return new TaggedSource<>(source, name, chainKey);
    }

    /**
     * The sink under test, for records that are {@link Tagged}: it writes them as they are (a text sink writes
     * {@link Tagged#toString()}, the value and the tag, so that the test can read the tags back for
     * {@link #verify(Collection)}).
     */
    public <T, TX extends Serializable> TwoPhaseCommitSink<Tagged<T>, VerifiedTransaction> sink(
            TwoPhaseCommitSink<Tagged<T>, TX> sink) {
        return sink(sink, Tagged::tag);
    }

    /** The sink under test, for records of the user's own type that carry their tag: {@code tagOf} finds it. */
    public <R, TX extends Serializable> TwoPhaseCommitSink<R, VerifiedTransaction> sink(TwoPhaseCommitSink<R, TX> sink,
            TagOf<R> tagOf) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(tagOf, "tagOf");
        return new VerifiedSink<>(sink, tagOf, ledger, VerifiedSink.Kind.TAGS, null);
    }

    /**
     * A transactional sink whose only output is the ledger: to verify records where the job's real output is not a
     * two-phase-commit sink, or is an aggregate checked otherwise (send the records there, e.g. from a side output).
     */
    public <T> TwoPhaseCommitSink<Tagged<T>, VerifiedTransaction> ledgerSink() {
        return sink(new NoOutputSink<>(), Tagged::tag);
    }

    /**
     * A source's witness, for a runtime simulated by a test: feed each writer the tagged records of its source subtask
     * in the order they are read, and drive it as the runtime drives a sink chained to the source (pre-commit at each
     * checkpoint, commit on completion, recover on restore). Jobs get theirs from {@link #fromSource}.
     */
    public <T> TwoPhaseCommitSink<Tagged<T>, VerifiedTransaction> witness() {
        return new VerifiedSink<Tagged<T>, Serializable>(new NoOutputSink<>(), Tagged::tag, ledger,
                VerifiedSink.Kind.POSITIONS, null);
    }

    /** Checks the ledger: the committed transactions of the verified sinks against the committed source positions. */
    public VerificationReport verify() throws IOException {
        return Verification.verify(ledger, null);
    }

    /**
     * Checks the sink's visible output, given as the tags of its records (one per record, as read back from the
     * sink's destination), against the committed source positions; the ledger explains each finding.
     */
    public VerificationReport verify(Collection<Tag> committedOutput) throws IOException {
        Objects.requireNonNull(committedOutput, "committedOutput");
        return Verification.verify(ledger, List.copyOf(committedOutput));
    }
}
