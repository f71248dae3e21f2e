package io.sluice.cli.cluster;

import io.sluice.network.tls.TlsDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --tls-dir} and {@code --tls-name} of a cluster process (coordinator, worker). */
public final class ProcessTlsOptions {
    @Option(names = "--tls-dir", paramLabel = "DIR", description = "Mutual TLS on every connection: present DIR/NAME.pem "
            + "(key DIR/NAME.key, PKCS#8) and trust only the CA in DIR/ca.pem.")
    Path tlsDir;

    @Option(names = "--tls-name", paramLabel = "NAME", description = "With --tls-dir: the name of this process's "
            + "certificate and key (default: the command's name, coordinator or worker).")
    String tlsName;

    /** The process's TLS material, checked now, named {@code --tls-name} or else {@code defaultName}; empty without TLS. */
    Optional<TlsDir> load(String defaultName) throws IOException {
        if (tlsName != null && tlsDir == null) {
            throw new IllegalArgumentException("--tls-name " + tlsName + " needs --tls-dir: the directory of the "
                    + "certificate and key");
        }
        return tlsDir == null ? Optional.empty() : Optional.of(TlsDir.load(tlsDir, tlsName != null ? tlsName : defaultName));
    }
}
