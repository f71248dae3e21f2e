package io.sluice.web;

import io.sluice.network.ClusterToken;
import io.sluice.web.api.Json;
import io.sluice.web.api.RestApi;
import io.sluice.web.http.HttpError;
import io.sluice.web.http.Request;
import io.sluice.web.http.Response;
import io.sluice.web.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which request goes where: the dashboard's static files (no token), everything else behind the token, then
 * {@code /metrics} or the REST API. Every refusal is a JSON error. Thread-safe.
 */
final class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    /** The dashboard's files, the only ones served, by path. */
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/style.css", "style.css");
    private final RestApi api;
    private final PrometheusEndpoint metrics;
    private final ClusterToken token;

    Routes(RestApi api, PrometheusEndpoint metrics, ClusterToken token) {
        this.api = api;
        this.metrics = metrics;
        this.token = token;
    }

    /** Answers one request; never throws. {@code authorization} is the header's value or {@code null}. */
    Response answer(Request request, String authorization) {
        try {
            String file = STATIC.get(request.path());
            if (file != null && request.method().equals("GET")) {
                return staticFile(file);
            }
            if (!authorized(authorization)) {
                return Json.error(401, "missing or wrong token: send 'Authorization: Bearer <cluster token>'");
            }
            if (request.path().equals("/metrics") && request.method().equals("GET")) {
                return Response.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            }
            if (request.path().startsWith("/v1/")) {
                return api.handle(request);
            }
            return Json.error(404, "no route " + request.method() + " " + request.path());
        } catch (HttpError e) {
            return Json.error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.method(), request.path(), e);
            return Json.error(500, "internal error: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return token.matches(header.substring("Bearer ".length()).trim()); // constant time
    }

    private static Response staticFile(String name) {
        try (InputStream in = Routes.class.getResourceAsStream("ui/" + name)) {
            if (in == null) {
                return Json.error(404, "no file " + name);
            }
            String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
            return new Response(200, type, in.readAllBytes());
        } catch (IOException e) {
            return Json.error(500, "cannot read " + name + ": " + e.getMessage());
        }
    }
}
