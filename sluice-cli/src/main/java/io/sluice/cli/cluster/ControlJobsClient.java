package io.sluice.cli.cluster;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.protocol.JobMessages.JobInfo;
import java.io.IOException;
import java.util.List;

/** {@link JobsClient} over the coordinator's gRPC control protocol (a cluster without a known REST address). */
record ControlJobsClient(ClusterClient client) implements JobsClient {

    @Override
    public List<JobInfo> jobs() throws IOException {
        return client.jobs();
    }

    @Override
    public JobInfo job(String jobId) throws IOException {
        return client.job(jobId);
    }

    @Override
    public void cancel(String jobId) throws IOException {
        client.cancel(jobId);
    }

    @Override
    public String savepoint(String jobId, String directory, boolean stop) throws IOException {
        return client.savepoint(jobId, directory, stop);
    }

    @Override
    public void close() {
        client.close();
    }
}
