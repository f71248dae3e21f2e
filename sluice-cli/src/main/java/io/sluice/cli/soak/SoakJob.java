package io.sluice.cli.soak;

import io.sluice.api.DataStream;
import io.sluice.api.StreamEnvironment;
import io.sluice.api.eventtime.WatermarkStrategy;
import io.sluice.api.graph.RestartStrategy;
import io.sluice.api.functions.KeySelector;
import io.sluice.api.types.Types;
import io.sluice.testing.ExactlyOnceVerifier;
import io.sluice.testing.Tagged;
import io.sluice.testing.Tagging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The job a soak round runs (in a child JVM, through the hidden {@code sluice run soak-job}): the seeded source, a map
 * that injects faults, keyBy, {@link KeyedBuckets} and the transactional file sink with faults ({@link FaultySink})
 * into {@link #outputDir}. Checkpointing, state backend, parallelism and restore come from the command line ({@code
 * JobOptions}); the job sets what the command line cannot: the restart strategy and watermark interval of its plan.
 *
 * <p>The source is read through an {@link ExactlyOnceVerifier} whose ledger is {@link #ledgerDir} (the same for every
 * child JVM of a round): records carry their tag ({@link Tagged}) to {@link KeyedBuckets}, which passes each on to a
 * side output into the verifier's ledger sink. The committed lines carry no tags: they are what the oracle expects.
 */
public final class SoakJob {
    private SoakJob() {}

    /** Where a round's job writes its committed output. */
    public static Path outputDir(Path roundDir) {
        return roundDir.resolve("output");
    }

    /** The ledger of the round's {@link ExactlyOnceVerifier}, continued by every child JVM of the round. */
    public static Path ledgerDir(Path roundDir) {
        return roundDir.resolve("ledger");
    }

    /** Where the faults fired by a round's child JVMs are logged (so that each fires once across them). */
    public static Path firedLog(Path roundDir) {
        return roundDir.resolve("fired-faults");
    }

    /** Where a round's checkpoints are kept. */
    public static Path checkpointDir(Path roundDir) {
        return roundDir.resolve("checkpoints");
    }

    /** The line prefix the broken sink drops: the final line of the key of record 0 (a key that surely has records). */
    static String droppedPrefix(SoakInput input) {
        return "f " + input.key(0) + " ";
    }

    /** Defines the job of {@code plan} on {@code env} (already configured from the command line). */
    public static void define(StreamEnvironment env, SoakPlan plan, Path roundDir) {
        SoakInput input = plan.input();
        // Enough attempts for every planned fault and then some: an unplanned failure is told apart from the logs.
        env.setRestartStrategy(RestartStrategy.fixedDelay(plan.failures() + 20, Duration.ofMillis(plan.restartDelayMillis())));
        env.setConfig(env.getConfig().withAutoWatermarkIntervalMillis(plan.watermarkMillis()));
        ExactlyOnceVerifier verifier;
        try {
            verifier = ExactlyOnceVerifier.open(ledgerDir(roundDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the verifier's ledger in " + roundDir, e);
        }
        DataStream<String> lines = verifier.fromSource(env, new SoakSource(input), WatermarkStrategy.forMonotonousTimestamps(),
                        "soak-input").uid("soak-input")
                .map(Tagging.map(new InjectingMap(input)), Tagged.type(Types.LONG)).name("Inject faults").uid("inject")
                .keyBy(new KeyOf(input), Types.INT)
                .process(new KeyedBuckets(input), Types.STRING).name("Keyed buckets").uid("buckets");
        lines.sinkTo(new FaultySink(outputDir(roundDir).toString(), plan.variant().breakSink() ? droppedPrefix(input) : null))
                .name("Commit").uid("commit");
        lines.getSideOutput(KeyedBuckets.RECORDS).sinkTo(verifier.ledgerSink()).name("Verify records").uid("verify");
    }

    /** A record id's key. */
    private record KeyOf(SoakInput input) implements KeySelector<Tagged<Long>, Integer> {
        @Override
        public Integer getKey(Tagged<Long> record) {
            return input.key(record.value());
        }
    }
}
