package io.sluice.cli;

import io.sluice.network.ClusterToken;
import io.sluice.runtime.cluster.LocalExecutor;
import io.sluice.runtime.config.EngineConfig;
import io.sluice.runtime.monitor.JobRegistry;
import io.sluice.web.WebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/sluice run ... --web-port P}: the REST API, metrics and dashboard of the jobs this command runs on the
 * embedded cluster, on 127.0.0.1:P, behind the token of {@code --token-file} (created, mode 0600, if missing). Lives
 * as long as the command; closing stops the server.
 */
final class LocalDashboard implements AutoCloseable {
    private final WebServer server;

    private LocalDashboard(WebServer server) {
        this.server = server;
    }

    static LocalDashboard start(JobOptions options) throws IOException {
        if (options.webPort < 0 || options.webPort > 65_535) {
            throw new IllegalArgumentException("--web-port must be a port from 0 to 65535, was " + options.webPort);
        }
        Path tokenFile = options.tokenFile.toAbsolutePath();
        if (!Files.exists(tokenFile)) {
            Files.createDirectories(tokenFile.getParent());
        }
        ClusterToken token = Files.exists(tokenFile) ? ClusterToken.read(tokenFile) : ClusterToken.create(tokenFile);
        JobRegistry registry = new JobRegistry(Runtime.getRuntime().availableProcessors());
        options.webExecutor = new LocalExecutor(EngineConfig.defaults(), registry);
        List<Path> roots = new ArrayList<>();
        if (options.savepointDir != null) {
            roots.add(Path.of(options.savepointDir).toAbsolutePath());
        }
        WebServer server = WebServer.start(registry, WebServer.Settings.loopback(token).withPort(options.webPort)
                .withSavepointRoots(roots));
        System.err.println("sluice: REST API and dashboard at " + server.url() + " (token in " + tokenFile + ")");
        return new LocalDashboard(server);
    }

    @Override
    public void close() {
        server.close();
    }
}
