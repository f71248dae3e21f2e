package io.sluice.cli.cluster;

import io.sluice.cluster.protocol.JobMessages.JobInfo;
import java.io.IOException;
import java.util.List;

/**
 * What {@code list}, {@code cancel}, {@code savepoint} and {@code stop} ask a cluster: over its REST API when the
 * cluster names one ({@link RestJobsClient}), else over the control protocol ({@link ControlJobsClient}). Failures are
 * {@link IOException}s whose message is one line for the user, the same whichever way is taken. One thread at a time;
 * closed after use.
 */
interface JobsClient extends AutoCloseable {

    /** Every job of the cluster. */
    List<JobInfo> jobs() throws IOException;

    /** One job; fails with {@code no job ID on this coordinator} for an unknown id. */
    JobInfo job(String jobId) throws IOException;

    /** Asks the job to cancel; a job that ended already is left as it is. */
    void cancel(String jobId) throws IOException;

    /** Takes a savepoint of a running job into the absolute {@code directory} (and stops it, with {@code stop}); its path. */
    String savepoint(String jobId, String directory, boolean stop) throws IOException;

    @Override
    void close();
}
