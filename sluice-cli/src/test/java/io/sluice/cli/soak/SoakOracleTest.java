package io.sluice.cli.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oracle of a round and the checks that compare a round's output and logs with it. */
class SoakOracleTest {
    static final SoakInput INPUT = new SoakInput(77, 3, 400, true, 25, 40, 10_000);
    static final SoakPlan PLAN = new SoakPlan(77, SoakVariant.STANDARD, "heap", false, 2, 2, 50, 10, 20, INPUT,
            List.of(), List.of());

    @TempDir
    Path tmp;

    @Test
    void theInputIsAPureFunctionOfSeedAndId() {
        assertEquals(400, INPUT.splitLength(0));
        assertTrue(INPUT.splitLength(1) < 400 || INPUT.splitLength(2) < 400, "uneven splits");
        assertEquals(1200, new SoakInput(77, 3, 400, false, 25, 40, 10_000).records());
        for (int split = 0; split < INPUT.splits(); split++) {
            assertTrue(INPUT.splitLength(split) >= 80 && INPUT.splitLength(split) <= 400);
            for (long seq = 0; seq < INPUT.splitLength(split); seq++) {
                long id = INPUT.id(split, seq);
                assertEquals(split, INPUT.split(id));
                assertEquals(seq, INPUT.seq(id));
                assertTrue(INPUT.key(id) >= 0 && INPUT.key(id) < INPUT.keys());
                assertTrue(INPUT.value(id) >= 1 && INPUT.value(id) <= 1000);
                assertEquals(INPUT.key(id), new SoakInput(77, 3, 400, true, 25, 40, 1).key(id), "the rate changes no record");
                assertTrue(INPUT.bucketEnd(INPUT.bucket(INPUT.timestamp(id))) >= INPUT.timestamp(id));
            }
        }
    }

    @Test
    void theOracleHasEachKeysRunningCountsBucketsAndFinalLineOnce() {
        Map<String, Integer> lines = ExpectedOutput.of(INPUT);
        long runningCounts = lines.keySet().stream().filter(l -> l.startsWith("r ")).count();
        assertEquals(INPUT.records(), runningCounts);
        long finalCount = lines.keySet().stream().filter(l -> l.startsWith("f "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[2])).sum();
        assertEquals(INPUT.records(), finalCount);
        long bucketCount = lines.keySet().stream().filter(l -> l.startsWith("w "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[3])).sum();
        assertEquals(INPUT.records(), bucketCount);
        assertTrue(lines.values().stream().allMatch(n -> n == 1));
    }

    private FinishedRound finished(List<String> committed, List<Path> logs) {
        return new FinishedRound(PLAN, tmp, committed, logs);
    }

    @Test
    void exactOutputPasses() {
        List<String> committed = new ArrayList<>(ExpectedOutput.of(INPUT).keySet());
        assertEquals(Optional.empty(), new OracleCheck().check(finished(committed, List.of())));
    }

    @Test
    void lostDoubledAndForeignLinesAreReportedWithTheirKeysAndSubtasks() {
        List<String> committed = new ArrayList<>(ExpectedOutput.of(INPUT).keySet());
        int lostKey = INPUT.key(0);
        committed.removeIf(l -> l.startsWith("f " + lostKey + " "));
        committed.add("r " + INPUT.key(1) + " 1");
        committed.add("x 3 4 map 2 list 1");
        String problem = new OracleCheck().check(finished(committed, List.of())).orElseThrow();
        assertTrue(problem.startsWith("output differs from the oracle"), problem);
        assertTrue(problem.contains("1 missing [f " + lostKey + " "), problem);
        assertTrue(problem.contains("1 duplicated [r " + INPUT.key(1) + " 1 (x2)]"), problem);
        assertTrue(problem.contains("1 unexpected [x 3 4 map 2 list 1]"), problem);
        assertTrue(problem.contains("by keyed subtask: 0: "), problem);
    }

    @Test
    void aRestartWithoutAnInjectedFaultFailsTheRound() throws Exception {
        Path log = tmp.resolve("run-0.err");
        String injected = "[WARN] JobSupervisor - Job 'soak 77' failed; restart 1 in 10 ms: Job 'soak 77' failed: "
                + "Operator 'Commit' (subtask 1/2) threw io.sluice.cli.soak.InjectedFault: " + InjectedFault.MARK + " #0";
        Files.write(log, List.of(injected));
        assertEquals(Optional.empty(), new PlannedFailuresCheck().check(finished(List.of(), List.of(log))));
        String real = "[WARN] JobSupervisor - Job 'soak 77' failed; restart 2 in 10 ms: checkpoint 5 holds no state of subtask(s) 1";
        Files.write(log, List.of(injected, real));
        String problem = new PlannedFailuresCheck().check(finished(List.of(), List.of(log))).orElseThrow();
        assertTrue(problem.contains("1 time(s) without an injected fault") && problem.contains("holds no state"), problem);
    }

    @Test
    void leftoverTransactionsAndCheckpointsFailTheRound() throws Exception {
        assertEquals(Optional.empty(), new CleanEndCheck().check(finished(List.of(), List.of())));
        Path output = Files.createDirectories(SoakJob.outputDir(tmp));
        Files.writeString(output.resolve(".part-0-3-of-2.inprogress"), "r 1 1\n");
        String problem = new CleanEndCheck().check(finished(List.of(), List.of())).orElseThrow();
        assertTrue(problem.contains("1 in-progress sink files left"), problem);
    }
}
