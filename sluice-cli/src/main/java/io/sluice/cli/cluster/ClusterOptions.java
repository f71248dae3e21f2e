package io.sluice.cli.cluster;

import io.sluice.cluster.client.ClusterClient;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --cluster}, {@code --token-file} and {@code --tls-dir} of the commands that act on a running cluster's jobs. */
public final class ClusterOptions {
    @Option(names = "--cluster", paramLabel = "DIR|HOST:PORT", defaultValue = ClusterCommand.DEFAULT_DIR,
            description = "The directory of a local cluster or a coordinator's address (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--token-file", paramLabel = "F", defaultValue = ".sluice/token",
            description = "The cluster token, with --cluster HOST:PORT (default: ${DEFAULT-VALUE}).")
    Path tokenFile;

    @Option(names = "--tls-dir", paramLabel = "DIR", description = "Mutual TLS with the coordinator, presenting "
            + "DIR/client.pem and DIR/client.key and trusting DIR/ca.pem (default: a local cluster's own, else none).")
    Path tlsDir;

    ClusterClient connect() throws IOException {
        return ClusterTarget.resolve(cluster, tokenFile, tlsDir).connect();
    }

    /** The cluster's jobs: over its REST API when {@code cluster.json} names one, else over the control protocol. */
    JobsClient jobs() throws IOException {
        return ClusterTarget.resolve(cluster, tokenFile, tlsDir).jobs();
    }
}
