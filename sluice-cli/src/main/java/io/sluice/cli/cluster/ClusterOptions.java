package io.sluice.cli.cluster;

import io.sluice.cluster.client.ClusterClient;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --cluster} and {@code --token-file} of the commands that act on a running cluster's jobs. */
public final class ClusterOptions {
    @Option(names = "--cluster", paramLabel = "DIR|HOST:PORT", defaultValue = ClusterCommand.DEFAULT_DIR,
            description = "The directory of a local cluster or a coordinator's address (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--token-file", paramLabel = "F", defaultValue = ".sluice/token",
            description = "The cluster token, with --cluster HOST:PORT (default: ${DEFAULT-VALUE}).")
    Path tokenFile;

    ClusterClient connect() throws IOException {
        return ClusterTarget.resolve(cluster, tokenFile).connect();
    }
}
