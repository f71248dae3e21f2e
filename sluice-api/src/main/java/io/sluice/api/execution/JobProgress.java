package io.sluice.api.execution;

import java.time.Duration;
import java.util.List;

/** A live view of a running job's counts; read from any thread, may lag the task threads slightly. */
public record JobProgress(String jobName, Duration elapsed, List<OperatorMetrics> operators) {}
