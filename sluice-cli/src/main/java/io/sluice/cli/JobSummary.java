package io.sluice.cli;

import io.sluice.api.execution.JobResult;
import io.sluice.api.execution.OperatorMetrics;
import java.util.Locale;

/** The lines printed when a job finishes. */
final class JobSummary {
    private JobSummary() {}

    static String format(JobResult result) {
        StringBuilder sb = new StringBuilder();
        double seconds = result.duration().toNanos() / 1e9;
        sb.append(String.format(Locale.ROOT, "Job '%s' finished in %.2f s%n", result.jobName(), seconds));
        int width = result.operators().stream().mapToInt(o -> o.name().length()).max().orElse(8);
        for (OperatorMetrics o : result.operators()) {
            sb.append(String.format(Locale.ROOT, "  %-" + width + "s  in %,14d  out %,14d%n", o.name(), o.recordsIn(), o.recordsOut()));
        }
        return sb.toString().stripTrailing();
    }
}
