package io.sluice.cli;

import io.sluice.api.StreamEnvironment;
import io.sluice.api.execution.JobClient;
import io.sluice.api.execution.JobResult;

/**
 * Runs a built-in job for the CLI. With {@code --savepoint-dir}, stopping the process gracefully (SIGTERM, Ctrl-C)
 * stops the job with a savepoint there first, and prints its path: resume with {@code --from-checkpoint PATH}.
 */
final class JobRunner {
    private JobRunner() {}

    static JobResult execute(StreamEnvironment env, String jobName, JobOptions options) throws Exception {
        JobClient client = env.executeAsync(jobName);
        Thread hook = null;
        if (options.savepointDir != null) {
            String dir = options.savepointDir;
            hook = new Thread(() -> {
                try {
                    System.err.println("sluice: stopped with savepoint " + client.stopWithSavepoint(dir));
                } catch (Exception e) {
                    System.err.println("sluice: no savepoint: " + Main.oneLine(e));
                }
            }, "sluice: stop with savepoint");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            return client.await();
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it stops the job
                }
            }
        }
    }
}
