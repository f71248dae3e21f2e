package io.sluice.cli.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a round left once its last child JVM finished its job: the plan, the round's directory (output, checkpoints,
 * the children's logs) and the committed output lines. The input of every {@link RoundCheck}.
 *
 * @param childLogs the children's standard error files, in run order
 */
public record FinishedRound(SoakPlan plan, Path roundDir, List<String> committedLines, List<Path> childLogs) {

    public FinishedRound {
        committedLines = List.copyOf(committedLines);
        childLogs = List.copyOf(childLogs);
    }

    /** Every line of the children's standard error, in run order. */
    public List<String> childLogLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path log : childLogs) {
            if (Files.exists(log)) {
                lines.addAll(Files.readAllLines(log));
            }
        }
        return lines;
    }
}
