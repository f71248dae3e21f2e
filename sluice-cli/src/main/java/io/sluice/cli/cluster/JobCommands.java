package io.sluice.cli.cluster;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/sluice list | cancel JOB | savepoint JOB DIR | stop JOB --savepoint-dir DIR}: a running cluster's jobs. */
public final class JobCommands {
    private JobCommands() {}

    /** One line per job: id, state, name, where it runs, restarts, why it failed. */
    static String describe(JobInfo j) {
        return j.jobId() + "  " + j.state() + "  " + (j.name().isEmpty() ? "-" : j.name())
                + (j.worker().isEmpty() ? "" : "  on " + j.worker() + " (" + j.slots() + " slot(s))")
                + (j.restarts() == 0 ? "" : "  restarts " + j.restarts())
                + (j.failure().isEmpty() ? "" : "  (" + j.failure() + ")");
    }

    /** Takes a savepoint of {@code job} into {@code dir} (made absolute), stopping it with {@code stop}; prints its path. */
    private static int savepoint(ClusterOptions cluster, String job, String dir, boolean stop) throws Exception {
        try (ClusterClient client = cluster.connect()) {
            System.out.println(client.savepoint(job, java.nio.file.Path.of(dir).toAbsolutePath().toString(), stop));
        }
        return 0;
    }

    @Command(name = "list", description = "Lists the jobs of a cluster.")
    public static final class ListCommand implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            List<JobInfo> jobs;
            try (ClusterClient client = cluster.connect()) {
                jobs = client.jobs();
            }
            if (jobs.isEmpty()) {
                System.out.println("no jobs");
            }
            jobs.forEach(j -> System.out.println(describe(j)));
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancels a job on a cluster (no savepoint; its checkpoints stay as configured).")
    public static final class CancelCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "JOB", description = "The job's id (see 'bin/sluice list').")
        String job;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            try (ClusterClient client = cluster.connect()) {
                client.cancel(job);
            }
            System.out.println("Job " + job + " cancelled");
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

    @Command(name = "stop", description = "Stops a job with a savepoint into DIR and prints its path; resume with "
            + "--from-checkpoint PATH.")
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
