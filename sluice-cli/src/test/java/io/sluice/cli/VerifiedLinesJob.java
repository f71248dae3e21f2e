package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.types.Types;
import io.sluice.connectors.file.TextFileSource;
import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.examples.RateLimitedSource;
import io.sluice.examples.RunningCounts;
import io.sluice.examples.Words;
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tagged;
import io.sluice.testing.Tagging;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A user job verified by an {@link ExactlyOnceVerifier}, for {@code sluice run io.sluice.cli.VerifiedLinesJob INPUT
 * OUTPUT LEDGER LINES_PER_SECOND} with the checkpoint options of the command line: reads the lines of INPUT
 * (rate-limited), counts the lines per first word ({@link RunningCounts.Count}, keyed state) and writes
 * {@code word<TAB>n<TAB>tag} for every line into a transactional file sink in OUTPUT. One output per input line, so
 * each line is checked record by record.
 */
public final class VerifiedLinesJob {
    private VerifiedLinesJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: VerifiedLinesJob INPUT OUTPUT LEDGER LINES_PER_SECOND");
        }
        StreamEnvironment env = StreamEnvironment.create();
        ExactlyOnceVerifier verifier = ExactlyOnceVerifier.open(Path.of(args[2]));
        verifier.fromSource(env, RateLimitedSource.of(new TextFileSource(args[0]), Double.parseDouble(args[3])), "lines")
                .uid("read")
                .map(Tagging.map(VerifiedLinesJob::firstWord), Tagged.type(Types.STRING)).uid("first-word")
                .keyBy(Tagged::value, Types.STRING)
                .process(Tagging.process(new RunningCounts.Count()), Tagged.type(Types.STRING)).uid("count")
                .sinkTo(verifier.sink(new TransactionalFileSink<Tagged<String>>(args[1]))).uid("write");
        env.execute("verified lines");
    }

    /** The first word of {@code line} (as {@link Words} splits), or the empty string for a line without words. */
    static String firstWord(String line) {
        List<String> words = new ArrayList<>();
        Words.split(line, words::add);
        return words.isEmpty() ? "" : words.getFirst();
    }
}
