package io.sluice.runtime.cluster;

import io.sluice.runtime.checkpoint.CheckpointResponder;
import io.sluice.runtime.plan.ExecutionPlan;
import io.sluice.runtime.source.SplitRequests;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Where a job's supervisor has each attempt's tasks built and run: in this JVM (the embedded cluster), or on a
 * cluster's workers. The supervisor keeps what is the job's: the plan, the checkpoint coordinator, the source
 * enumerators, restarts. Called on the supervisor's thread, one attempt at a time.
 */
public interface TaskDeployment {

    /**
     * What an attempt's tasks are deployed with.
     *
     * @param plan             the attempt's plan: every task to run
     * @param splitRequests    per source uid, where its readers register and ask for splits
     * @param sources          how the enumerators reach readers (their gateways are connected here)
     * @param responder        where tasks report their part of checkpoints
     * @param checkpointIo     the threads that write checkpoint files in this JVM
     * @param progressInterval how often progress lines are logged (zero: never)
     * @param listener         what the tasks tell the supervisor
     */
    record Attempt(ExecutionPlan plan, Map<String, SplitRequests> splitRequests,
            io.sluice.runtime.source.SourceCoordinators sources, CheckpointResponder responder, Executor checkpointIo,
            Duration progressInterval, AttemptListener listener) {}

    /** Builds the attempt's tasks (nothing runs yet); fails, with nothing left running, if one cannot be built. */
    AttemptRun deploy(Attempt attempt) throws Exception;
}
