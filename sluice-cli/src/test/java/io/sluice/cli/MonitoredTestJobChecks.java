package io.sluice.cli;

import static io.sluice.cli.RestCluster.total;
import static io.sluice.cli.RestCluster.vertexId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@link MonitoredTestJob} must show through a cluster coordinator's REST API, whether its tasks are spread over
 * workers or it runs whole on one: its sources backpressured while its sink is slowed, split {@code seq-0} holding the
 * sink's watermark back, and once it finished the counts the job is known to have. Stateless.
 */
final class MonitoredTestJobChecks {
    private MonitoredTestJobChecks() {}

    /** The job's detail, once its graph (3 vertices) shows. */
    static JsonNode graph(RestCluster c, String jobPath) throws Exception {
        return c.until(jobPath, d -> d.get("vertices").size() == 3);
    }

    /** Polls until both source subtasks show and one is backpressured more than half the time; that answer. */
    static JsonNode sourcesBackpressured(RestCluster c, String jobPath, JsonNode detail) throws Exception {
        return c.until(jobPath + "/vertices/" + vertexId(detail, MonitoredTestJob.SOURCE), v -> v.get("subtasks").size() == 2
                && v.get("subtasks").findValues("backpressuredRatio").stream().anyMatch(r -> r.asDouble() > 0.5));
    }

    /** Polls until both splits show and one holds the sink back: it must be {@code seq-0}. */
    static void seq0HoldsTheSinkBack(RestCluster c, String jobPath) throws Exception {
        JsonNode w = c.until(jobPath + "/watermarks", x -> x.get("splits").size() == 2
                && operator(x, MonitoredTestJob.SINK).hasNonNull("heldBackBy"));
        assertEquals("seq-0", operator(w, MonitoredTestJob.SINK).get("heldBackBy").get("split").asText(), w.toString());
    }

    /**
     * Waits until the job finished; then each source subtask emitted half the records and the map and the sink
     * received them all.
     */
    static void finalCounts(RestCluster c, String jobPath, JsonNode detail) throws Exception {
        c.until(jobPath, d -> d.get("state").asText().equals("FINISHED"));
        JsonNode sources = c.get(jobPath + "/vertices/" + vertexId(detail, MonitoredTestJob.SOURCE));
        assertEquals(2, sources.get("subtasks").size(), sources.toString());
        for (JsonNode s : sources.get("subtasks")) {
            assertEquals(MonitoredTestJob.RECORDS / 2, s.get("recordsOut").asLong(), sources.toString());
        }
        for (String name : new String[] {MonitoredTestJob.MAP, MonitoredTestJob.SINK}) {
            JsonNode v = c.get(jobPath + "/vertices/" + vertexId(detail, name));
            assertEquals(MonitoredTestJob.RECORDS, total(v, "recordsIn"), v.toString());
        }
    }

    private static JsonNode operator(JsonNode watermarks, String name) {
        for (JsonNode o : watermarks.get("operators")) {
            if (o.get("name").asText().equals(name)) {
                return o;
            }
        }
        throw new AssertionError("no operator " + name + " in " + watermarks);
    }
}
