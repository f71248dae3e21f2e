package io.sluice.cli.soak;

import io.sluice.api.graph.JobConfig;
import io.sluice.runtime.state.KeyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The committed output equals {@link ExpectedOutput} exactly: no line missing, none twice, none unexpected. A failure
 * says how many lines differ with examples, which keys are wrong, and how the wrong keys fall on the keyed subtasks
 * (lost keyed state of one subtask shows as all of its keys wrong and none of the others').
 */
final class OracleCheck implements RoundCheck {
    private static final int EXAMPLES = 4;

    @Override
    public Optional<String> check(FinishedRound round) {
        SoakPlan plan = round.plan();
        Map<String, Integer> expected = ExpectedOutput.of(plan.input());
        Map<String, Integer> actual = new HashMap<>();
        for (String line : round.committedLines()) {
            actual.merge(line, 1, Integer::sum);
        }
        Set<String> missing = new TreeSet<>();
        Set<String> duplicated = new TreeSet<>();
        Set<String> unexpected = new TreeSet<>();
        Set<Integer> wrongKeys = new TreeSet<>();
        Set<Integer> allKeys = new TreeSet<>();
        for (String line : expected.keySet()) {
            allKeys.add(keyOf(line));
            int times = actual.getOrDefault(line, 0);
            if (times != 1) {
                (times == 0 ? missing : duplicated).add(times == 0 ? line : line + " (x" + times + ")");
                wrongKeys.add(keyOf(line));
            }
        }
        actual.forEach((line, times) -> {
            if (!expected.containsKey(line)) {
                unexpected.add(times == 1 ? line : line + " (x" + times + ")");
                wrongKeys.add(keyOf(line));
            }
        });
        if (missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("output differs from the oracle (" + expected.size() + " lines expected, "
                + round.committedLines().size() + " committed): " + missing.size() + " missing " + examples(missing) + ", "
                + duplicated.size() + " duplicated " + examples(duplicated) + ", " + unexpected.size() + " unexpected "
                + examples(unexpected) + "; " + wrongKeys.size() + " of " + allKeys.size() + " keys wrong "
                + examples(wrongKeys) + ", by keyed subtask: " + bySubtask(wrongKeys, allKeys, plan.parallelism()));
    }

    /** The key a line is about (its second field), or -1 for a line that names none. */
    private static int keyOf(String line) {
        String[] fields = line.split(" ");
        try {
            return fields.length > 1 ? Integer.parseInt(fields[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String examples(Set<?> items) {
        List<String> first = new ArrayList<>();
        for (Object item : items) {
            if (first.size() == EXAMPLES) {
                first.add("...");
                break;
            }
            first.add(String.valueOf(item));
        }
        return first.toString();
    }

    /** For each keyed subtask: wrong keys of the keys it owns, e.g. {@code 0: 0/61, 1: 34/59}. */
    private static String bySubtask(Set<Integer> wrongKeys, Set<Integer> allKeys, int parallelism) {
        int maxParallelism = JobConfig.defaults().maxParallelism();
        int[] wrong = new int[parallelism];
        int[] owned = new int[parallelism];
        for (int key : allKeys) {
            int subtask = KeyGroups.subtaskOf(KeyGroups.keyGroupOf(key, maxParallelism), maxParallelism, parallelism);
            owned[subtask]++;
            if (wrongKeys.contains(key)) {
                wrong[subtask]++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < parallelism; s++) {
            sb.append(s == 0 ? "" : ", ").append(s).append(": ").append(wrong[s]).append('/').append(owned[s]);
        }
        return sb.toString();
    }
}
