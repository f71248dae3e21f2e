package io.sluice.cluster.coordinator;

import io.sluice.api.execution.JobExecutionException;

/**
 * Whether a spread job's supervisor can take a savepoint (a plain one, or a stop's) now, and why not. It can only
 * while an attempt of the job runs: before the first attempt runs there is no supervisor yet, and between attempts
 * (the last one failed, the next waits for its restart delay, for its workers' ends or for free slots) or while a
 * restart's attempt is being deployed, its checkpoint coordinator has no running source to take one from. A refusal
 * names the job (id and name), says which of these it is (with the attempt's number once there is an attempt), and
 * whether to retry once the job runs; the caller leaves the job as it was (a refused stop never marks it as stopping).
 */
final class SavepointRefusal {
    private SavepointRefusal() {}

    /**
     * Why {@code job}, spread over the workers' slots, takes no savepoint now ({@code stop}: no stop with a savepoint);
     * {@code null} if its supervisor can take one. Call under the job table's lock.
     */
    static JobExecutionException of(ClusterJob job, boolean stop) {
        String what = stop ? "stop with a savepoint" : "savepoint";
        String named = "Job " + job.id + (job.jobName.isEmpty() ? "" : " '" + job.jobName + "'");
        if (job.state.isFinal()) {
            return new JobExecutionException(named + " is " + job.state + ", not running: no " + what, null);
        }
        if (job.cancelled) {
            return new JobExecutionException(named + " is being cancelled: no " + what, null);
        }
        RemoteAttempt attempt = job.remote;
        if (job.supervisor != null && attempt != null) {
            return underSupervisor(job, named, what, attempt);
        }
        String why = switch (job.state) {
            case CREATED -> "has not been submitted by its main yet";
            case WAITING -> "waits for free slots for its first attempt";
            default -> "is being deployed (its workers are building its first attempt's tasks)";
        };
        return retryLater(named, why, what);
    }

    /** Why a job whose supervisor runs takes no savepoint now, through attempt {@code attempt}; {@code null} if it can. */
    private static JobExecutionException underSupervisor(ClusterJob job, String named, String what,
            RemoteAttempt attempt) {
        int number = attempt.attemptNumber();
        return switch (attempt.phase()) {
            case RUNNING -> null;
            case DEPLOYING -> retryLater(named, "is being redeployed (its workers are building the tasks of attempt "
                    + number + ", a restart)", what);
            // A stop that already ended the attempt (its savepoint taken) ends the job too: nothing to retry.
            case ENDING -> job.cancelRequested
                    ? new JobExecutionException(named + " is being stopped with a savepoint: no " + what, null)
                    : retryLater(named, "is restarting (attempt " + number + " failed; its next attempt is not "
                            + "deployed yet)", what);
        };
    }

    private static JobExecutionException retryLater(String named, String why, String what) {
        return new JobExecutionException(named + " " + why + ": no " + what + " yet; retry once it runs", null);
    }
}
