/** {@code /metrics}: Micrometer's Prometheus registry over the jobs and this JVM. */
package io.sluice.web.metrics;
