package io.sluice.cli.cluster;

import io.sluice.cluster.protocol.JobMessages.JobInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/sluice list | cancel JOB | savepoint JOB DIR | stop JOB --savepoint-dir DIR}: a running cluster's jobs,
 * through its REST API when its {@code cluster.json} names one, else its control protocol ({@link JobsClient}).
 */
public final class JobCommands {
    private JobCommands() {}

    /** One line per job: id, state, name, where it runs, restarts, why it failed. */
    static String describe(JobInfo j) {
        return j.jobId() + "  " + j.state() + "  " + (j.name().isEmpty() ? "-" : j.name())
                + (j.worker().isEmpty() ? "" : "  on " + j.worker() + " (" + j.slots() + " slot(s))")
                + (j.restarts() == 0 ? "" : "  restarts " + j.restarts())
                + (j.failure().isEmpty() ? "" : "  (" + j.failure() + ")");
    }

    /** How long {@code cancel} and {@code stop} wait for the job to end (its slots free) before they say it still runs. */
    static final long END_WAIT_MILLIS = 30_000;

    /**
     * Takes a savepoint of {@code job} into {@code dir} (made absolute), stopping it with {@code stop} (then waits until
     * it ended, so its slots are free and its output committed); prints its path.
     */
    private static int savepoint(ClusterOptions cluster, String job, String dir, boolean stop) throws Exception {
        try (JobsClient client = cluster.jobs()) {
            String path = client.savepoint(job, java.nio.file.Path.of(dir).toAbsolutePath().toString(), stop);
            if (stop) {
                awaitEnd(client, job, "stopped");
            }
            System.out.println(path);
        }
        return 0;
    }

    /** Waits (bounded) until {@code job} ended; fails saying in what state it still is. */
    private static JobInfo awaitEnd(JobsClient client, String job, String asked) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(END_WAIT_MILLIS);
        while (true) {
            JobInfo info = client.job(job);
            if (List.of("FINISHED", "FAILED", "CANCELLED").contains(info.state())) {
                return info;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Job " + job + " was " + asked + " but is still " + info.state() + " after "
                        + END_WAIT_MILLIS / 1_000 + " s; see 'bin/sluice list'");
            }
            Thread.sleep(100);
        }
    }

    @Command(name = "list", description = "Lists the jobs of a cluster.")
    public static final class ListCommand implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            List<JobInfo> jobs;
            try (JobsClient client = cluster.jobs()) {
                jobs = client.jobs();
            }
            if (jobs.isEmpty()) {
                System.out.println("no jobs");
            }
            jobs.forEach(j -> System.out.println(describe(j)));
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancels a job on a cluster and waits until it ended (no savepoint; its "
            + "checkpoints are deleted unless retained on cancel).")
    public static final class CancelCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "JOB", description = "The job's id (see 'bin/sluice list').")
        String job;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            JobInfo ended;
            try (JobsClient client = cluster.jobs()) {
                client.cancel(job);
                ended = awaitEnd(client, job, "cancelled");
            }
            System.out.println(ended.state().equals("CANCELLED") ? "Job " + job + " cancelled"
                    : "Job " + job + " had ended before the cancel: " + describe(ended));
            return 0;
        }
    }

    @Command(name = "savepoint", description = "Takes a savepoint of a running job into DIR and prints its path.")
    public static final class SavepointCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "JOB", description = "The job's id (see 'bin/sluice list').")
        String job;

        @Parameters(index = "1", paramLabel = "DIR", description = "Where the savepoint goes (a directory every process sees).")
        String dir;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            return savepoint(cluster, job, dir, false);
        }
    }

    @Command(name = "stop", description = "Stops a job with a savepoint into DIR, waits until it ended, and prints the "
            + "savepoint's path; resume with --from-checkpoint PATH.")
    public static final class StopCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "JOB", description = "The job's id (see 'bin/sluice list').")
        String job;

        @Option(names = "--savepoint-dir", required = true, paramLabel = "DIR", description = "Where the savepoint goes.")
        String dir;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            return savepoint(cluster, job, dir, true);
        }
    }
}
