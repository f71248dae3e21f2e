/** The REST API's routes under {@code /v1}, JSON, savepoint path confinement, rates and watermark lineage. */
package io.sluice.web.api;
