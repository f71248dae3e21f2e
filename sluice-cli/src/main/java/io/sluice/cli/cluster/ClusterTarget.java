package io.sluice.cli.cluster;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.network.ClusterToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cluster a client command talks to, from its {@code --cluster} value: the directory of a local cluster (its
 * {@code cluster.json} names the coordinator and the token file) or a coordinator's {@code HOST:PORT} (with the token
 * from {@code --token-file}).
 */
public record ClusterTarget(String host, int port, Path tokenFile) {

    public static ClusterTarget resolve(String cluster, Path tokenFile) throws IOException {
        Path dir = Path.of(cluster).toAbsolutePath().normalize();
        if (Files.isRegularFile(dir.resolve(ClusterFile.NAME))) {
            ClusterFile file = ClusterFile.read(dir);
            return new ClusterTarget(file.coordinatorHost(), file.coordinatorPort(), Path.of(file.tokenFile()));
        }
        if (Files.isDirectory(dir)) {
            throw new IOException("no local cluster runs in " + dir + " (no " + ClusterFile.NAME
                    + "): start one with 'bin/sluice cluster start --workers N --dir " + cluster + "'");
        }
        int colon = cluster.lastIndexOf(':');
        int port;
        try {
            port = colon < 1 ? -1 : Integer.parseInt(cluster.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--cluster must be a coordinator's HOST:PORT or the directory of a local "
                    + "cluster, was '" + cluster + "' (no such directory)");
        }
        return new ClusterTarget(cluster.substring(0, colon), port, tokenFile);
    }

    /** A client of the coordinator, presenting the cluster token. */
    public ClusterClient connect() throws IOException {
        return new ClusterClient(host, port, ClusterToken.read(tokenFile), "of " + tokenFile.toAbsolutePath().normalize());
    }
}
