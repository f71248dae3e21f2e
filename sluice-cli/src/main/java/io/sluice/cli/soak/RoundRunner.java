package io.sluice.cli.soak;

import io.sluice.connectors.file.TransactionalFileSink;
import io.sluice.runtime.checkpoint.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one round in its own directory: the job in a child JVM, killed and resumed from its latest checkpoint as the
 * plan's kills say (the run after the last kill runs to the end), then every {@link RoundCheck}. A round that takes
 * longer than its timeout fails. Whatever happens, every child JVM it started is dead when {@link #run} returns.
 *
 * <p>Main thread only (one round at a time); the waits poll child processes and the checkpoint directory with bounded
 * sleeps, so every loop ends by the round's deadline.
 */
final class RoundRunner {
    /** How often the checkpoint directory is looked at while waiting for a new checkpoint. */
    private static final long POLL_MILLIS = 2;

    private final ChildProcesses children;
    private final Duration timeout;
    private final List<RoundCheck> checks;

    RoundRunner(ChildProcesses children, Duration timeout, List<RoundCheck> checks) {
        this.children = children;
        this.timeout = timeout;
        this.checks = List.copyOf(checks);
    }

    /** The round has run out of time. */
    private static final class RoundTimeout extends Exception {
        RoundTimeout(String message) {
            super(message);
        }
    }

    /** What the children of a round did: a line per run, and counts. */
    private static final class Runs {
        final List<String> history = new ArrayList<>();
        final List<Path> logs = new ArrayList<>();
        int started;
        int killed;

        @Override
        public String toString() {
            return String.join("; ", history);
        }
    }

    RoundResult run(int round, SoakPlan plan, Path roundDir) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Runs runs = new Runs();
        Optional<String> problem;
        try {
            Files.createDirectories(roundDir);
            problem = runChildren(plan, roundDir, deadline, runs);
            if (problem.isEmpty()) {
                problem = check(plan, roundDir, runs);
            }
        } catch (RoundTimeout e) {
            problem = Optional.of(e.getMessage() + " (runs: " + runs + ")");
        } catch (IOException | RuntimeException e) {
            problem = Optional.of("the soak itself failed: " + e + " (runs: " + runs + ")");
        } finally {
            children.killAll();
        }
        int fired = 0;
        try {
            fired = SoakFaults.firedIds(SoakJob.firedLog(roundDir)).size();
            Files.write(roundDir.resolve("history.txt"), (plan + "\n" + String.join("\n", runs.history) + "\n"
                    + problem.orElse("passed") + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            problem = Optional.of(problem.map(p -> p + "; ").orElse("") + "cannot read or write the round's files: " + e);
        }
        return new RoundResult(round, plan, problem, (System.nanoTime() - start) / 1_000_000, runs.started, runs.killed,
                fired, roundDir);
    }

    /** Runs the children until one finishes the job; a problem if one fails otherwise than the plan allows. */
    private Optional<String> runChildren(SoakPlan plan, Path roundDir, long deadline, Runs runs)
            throws IOException, InterruptedException, RoundTimeout {
        int nextKill = 0;
        // A child whose final commit failed at an injected fault is resumed (that commit is retried from the final
        // checkpoint); at most once per fault, so the loop is bounded.
        int maxRuns = plan.kills().size() + plan.faults().size() + 1;
        while (runs.started < maxRuns) {
            List<Long> completed = completedCheckpoints(roundDir);
            NextRun next = NextRun.after(runs.started == 0, !completed.isEmpty(), hasCommittedOutput(roundDir));
            if (next == NextRun.FINISHED) {
                runs.history.add("the job had finished before that kill (committed output, no checkpoint left)");
                return Optional.empty();
            }
            boolean resume = next == NextRun.RESUME;
            int run = runs.started++;
            Path out = roundDir.resolve("run-" + run + ".out");
            Path err = roundDir.resolve("run-" + run + ".err");
            runs.logs.add(err);
            Files.createDirectories(ChildCommand.tmpDir(roundDir));
            Process child = children.start(ChildCommand.of(plan, roundDir, resume), out, err);
            long started = System.nanoTime();
            String how = "run " + run + " " + (resume ? "resumed from checkpoint " + completed.getLast() : "fresh");
            if (nextKill < plan.kills().size()) {
                Kill kill = plan.kills().get(nextKill);
                long after = resume ? completed.getLast() : 0;
                String when = awaitKillMoment(child, kill, after, roundDir, deadline);
                if (when != null) {
                    children.kill(child);
                    runs.killed++;
                    nextKill++;
                    runs.history.add(how + ", killed " + when + " (" + millisSince(started) + " ms after start)");
                    continue;
                }
                how += ", ended before its kill (" + kill + ")";
            }
            if (!child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                runs.history.add(how + ", still running");
                throw new RoundTimeout("timed out after " + timeout.toSeconds() + " s");
            }
            children.ended(child);
            int exit = child.exitValue();
            String error = errorLine(err);
            if (exit == 0) {
                runs.history.add(how + ", finished in " + millisSince(started) + " ms");
                return Optional.empty();
            }
            runs.history.add(how + ", failed with exit " + exit + ": " + error);
            if (!(error.contains("failed committing its final output") && error.contains(InjectedFault.MARK))) {
                return Optional.of("run " + run + " failed (exit " + exit + "): " + error + " (runs: " + runs + ")");
            }
        }
        return Optional.of("no run finished the job in " + maxRuns + " runs (runs: " + runs + ")");
    }

    /**
     * Waits for the moment of {@code kill}; returns when it came (for the history), or {@code null} if the child ended
     * by itself first.
     */
    private String awaitKillMoment(Process child, Kill kill, long afterCheckpoint, Path roundDir, long deadline)
            throws IOException, InterruptedException, RoundTimeout {
        String when;
        if (kill.afterCheckpoint()) {
            long newer = -1;
            while (newer < 0) {
                if (!child.isAlive()) {
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    throw new RoundTimeout("timed out after " + timeout.toSeconds() + " s waiting for a checkpoint after "
                            + afterCheckpoint);
                }
                List<Long> ids;
                try {
                    ids = completedCheckpoints(roundDir);
                } catch (IOException e) {
                    ids = List.of(); // a checkpoint deleted (retention) while listed: look again
                }
                if (!ids.isEmpty() && ids.getLast() > afterCheckpoint) {
                    newer = ids.getLast();
                } else {
                    Thread.sleep(POLL_MILLIS);
                }
            }
            when = kill.delayMillis() + " ms after checkpoint " + newer + " completed";
        } else {
            when = "at " + kill.delayMillis() + " ms";
        }
        long waitNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(kill.delayMillis()), Math.max(0, deadline - System.nanoTime()));
        if (waitNanos > 0 && child.waitFor(waitNanos, TimeUnit.NANOSECONDS)) {
            return null;
        }
        return child.isAlive() ? when : null;
    }

    private Optional<String> check(SoakPlan plan, Path roundDir, Runs runs) throws IOException {
        Path output = SoakJob.outputDir(roundDir);
        List<String> committed = Files.isDirectory(output) ? TransactionalFileSink.readCommitted(output) : List.of();
        FinishedRound finished = new FinishedRound(plan, roundDir, committed, runs.logs);
        for (RoundCheck c : checks) {
            Optional<String> problem = c.check(finished);
            if (problem.isPresent()) {
                return Optional.of(problem.get() + " (runs: " + runs + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean hasCommittedOutput(Path roundDir) throws IOException {
        Path output = SoakJob.outputDir(roundDir);
        return Files.isDirectory(output) && !TransactionalFileSink.readCommitted(output).isEmpty();
    }

    /** The completed checkpoints in the round's checkpoint directory, oldest first; none if there is none yet. */
    private static List<Long> completedCheckpoints(Path roundDir) throws IOException {
        Path dir = SoakJob.checkpointDir(roundDir);
        return Files.isDirectory(dir) ? new FileSystemCheckpointStorage(dir).completedCheckpointIds() : List.of();
    }

    /** The child's error as its last {@code sluice: } line says (Main prints failures so), or its last line. */
    private static String errorLine(Path stderr) throws IOException {
        if (!Files.exists(stderr)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("sluice: ")) {
                return lines.get(i);
            }
        }
        return lines.isEmpty() ? "(no output)" : lines.getLast();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
