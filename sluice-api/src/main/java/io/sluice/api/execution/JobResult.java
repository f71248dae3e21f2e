package io.sluice.api.execution;

import java.time.Duration;
import java.util.List;

/**
 * What a finished job reports.
 *
 * @param jobName   the job's name
 * @param duration  from start to the end of the last task
 * @param operators record counts per operator, in graph order
 * @param channels  occupancy per edge that needed channels
 */
public record JobResult(String jobName, Duration duration, List<OperatorMetrics> operators, List<ChannelMetrics> channels) {

    /** The metrics of the operator named {@code name}. */
    public OperatorMetrics operator(String name) {
        return operators.stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no operator named '" + name + "' in " + operators));
    }
}
