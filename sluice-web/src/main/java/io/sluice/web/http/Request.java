package io.sluice.web.http;

/**
 * One HTTP request as the routes see it.
 *
 * @param method upper case (GET, POST, ...)
 * @param path   the decoded path without query, e.g. {@code /v1/jobs/job-1}
 * @param body   the body's bytes (empty for none)
 */
public record Request(String method, String path, byte[] body) {}
