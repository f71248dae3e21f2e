package io.sluice.cli.cluster;

import io.sluice.cluster.client.ClusterClient;
import io.sluice.cluster.local.ClusterFile;
import io.sluice.network.ClusterToken;
import io.sluice.network.tls.TlsDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cluster a client command talks to, from its {@code --cluster} value: the directory of a local cluster (its
 * {@code cluster.json} names the coordinator, the token file and the TLS directory) or a coordinator's
 * {@code HOST:PORT} (with the token from {@code --token-file} and, for TLS, {@code --tls-dir}). A client presents
 * {@code client.pem} of the TLS directory.
 *
 * @param rest {@code HOST:PORT} of the coordinator's REST API when known ({@code "rest"} of a local cluster's
 *             {@code cluster.json}); given a coordinator's address alone, {@link #jobs()} asks the coordinator
 */
public record ClusterTarget(String host, int port, Path tokenFile, Optional<Path> tlsDir, Optional<String> rest) {

    /** A target without a known REST API. */
    public ClusterTarget(String host, int port, Path tokenFile, Optional<Path> tlsDir) {
        this(host, port, tokenFile, tlsDir, Optional.empty());
    }

    /**
     * @param tlsDir {@code --tls-dir}, or null: with a local cluster, the directory its {@code cluster.json} names
     */
    public static ClusterTarget resolve(String cluster, Path tokenFile, Path tlsDir) throws IOException {
        Path dir = Path.of(cluster).toAbsolutePath().normalize();
        if (Files.isRegularFile(dir.resolve(ClusterFile.NAME))) {
            ClusterFile file = ClusterFile.read(dir);
            return new ClusterTarget(file.coordinatorHost(), file.coordinatorPort(), Path.of(file.tokenFile()),
                    tlsDir != null ? Optional.of(tlsDir) : file.tls(), Optional.ofNullable(file.rest()));
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
        return new ClusterTarget(cluster.substring(0, colon), port, tokenFile, Optional.ofNullable(tlsDir));
    }

    /** The target of the local cluster described by {@code file}. */
    static ClusterTarget of(ClusterFile file) {
        return new ClusterTarget(file.coordinatorHost(), file.coordinatorPort(), Path.of(file.tokenFile()), file.tls(),
                Optional.ofNullable(file.rest()));
    }

    /**
     * A client of the cluster's jobs over its REST API: the one this target names, else the one the coordinator says
     * it serves (its status names the port, on the coordinator's host); over the control protocol ({@link #connect()})
     * only where the coordinator serves none.
     */
    JobsClient jobs() throws IOException {
        String address = rest.orElse(null);
        if (address == null) {
            ClusterClient control = connect();
            int port;
            try {
                port = control.status().restPort();
            } catch (IOException | RuntimeException e) {
                control.close();
                throw e;
            }
            if (port == 0) {
                return new ControlJobsClient(control);
            }
            control.close();
            address = (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        }
        Optional<TlsDir> tls = tlsDir.isPresent()
                ? Optional.of(TlsDir.load(tlsDir.get(), ClusterFile.CLIENT_TLS_NAME)) : Optional.empty();
        return new RestJobsClient(address, ClusterToken.read(tokenFile), "of " + tokenFile.toAbsolutePath().normalize(),
                tls, () -> new ControlJobsClient(connect()));
    }

    /** A client of the coordinator, presenting the cluster token (and, with a TLS directory, its client certificate). */
    public ClusterClient connect() throws IOException {
        Optional<TlsDir> tls = tlsDir.isPresent()
                ? Optional.of(TlsDir.load(tlsDir.get(), ClusterFile.CLIENT_TLS_NAME)) : Optional.empty();
        return new ClusterClient(host, port, ClusterToken.read(tokenFile), tls,
                "of " + tokenFile.toAbsolutePath().normalize());
    }
}
