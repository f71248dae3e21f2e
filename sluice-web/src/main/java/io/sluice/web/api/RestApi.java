package io.sluice.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.monitor.CheckpointRecord;
import io.sluice.runtime.monitor.JobControl;
import io.sluice.runtime.monitor.JobView;
import io.sluice.runtime.monitor.JobsView;
import io.sluice.web.http.HttpError;
import io.sluice.web.http.Request;
import io.sluice.web.http.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The routes under {@code /v1} (docs/operations.md is their reference), over any {@link JobsView}: the embedded
 * cluster's and a coordinator's alike. Refusals are {@link HttpError}s (400 bad input, 404 no such route or request,
 * 409 state conflict). Thread-safe; savepoints and stops run on {@link SavepointRequests}' pool, never on the calling
 * thread.
 */
public final class RestApi implements AutoCloseable {
    /** How many of the latest checkpoints {@code /checkpoints} lists. */
    static final int LATEST_CHECKPOINTS = 50;
    private final JobsView jobs;
    private final List<Path> savepointRoots;
    private final String version;
    private final Sampler sampler;
    private final SavepointRequests savepoints = new SavepointRequests();

    /**
     * @param savepointRoots where savepoints may go besides each job's checkpoint directory ({@code --savepoint-root})
     * @param version        what {@code /v1/overview} reports
     */
    public RestApi(JobsView jobs, List<Path> savepointRoots, String version, Sampler sampler) {
        this.jobs = jobs;
        this.savepointRoots = List.copyOf(savepointRoots);
        this.version = version;
        this.sampler = sampler;
    }

    /** Answers {@code request} (its path starts with {@code /v1/}); throws {@link HttpError} to refuse it. */
    public Response handle(Request request) {
        String[] p = request.path().substring(1).split("/", -1);
        boolean get = request.method().equals("GET");
        boolean post = request.method().equals("POST");
        if (p.length == 2 && p[1].equals("overview") && get) {
            return Json.ok(overview());
        }
        if (p.length == 2 && p[1].equals("jobs") && get) {
            return Json.ok(Map.of("jobs", jobs.jobIds().stream().map(id -> jobs.job(id).map(j -> summary(id, j)))
                    .flatMap(java.util.Optional::stream).toList()));
        }
        if (p.length < 3 || !p[1].equals("jobs")) {
            throw HttpError.notFound("no route " + request.method() + " " + request.path());
        }
        String id = p[2];
        JobView job = jobs.job(id).orElseThrow(() -> HttpError.badRequest(unknownJob(id)));
        String sub = p.length > 3 ? p[3] : "";
        if (p.length == 3 && get) {
            Map<String, Object> detail = summary(id, job);
            detail.put("vertices", job.vertices());
            detail.put("edges", job.edges());
            detail.put("savepointRoots", savepointRoots(job).stream().map(Path::toString).toList());
            return Json.ok(detail);
        }
        if (p.length == 5 && sub.equals("vertices") && get) {
            return Json.ok(vertex(id, job, p[4]));
        }
        if (p.length == 4 && get) {
            switch (sub) {
                case "checkpoints" -> {
                    return Json.ok(checkpoints(job));
                }
                case "watermarks" -> {
                    return Json.ok(Watermarks.of(job));
                }
                case "exceptions" -> {
                    return Json.ok(Map.of("exceptions", job.exceptions()));
                }
                case "vertices" -> {
                    return Json.ok(Map.of("vertices", vertexRates(id, job)));
                }
                default -> { }
            }
        }
        if (p.length == 5 && sub.equals("savepoints") && get) {
            return Json.ok(savepoints.get(p[4]).filter(s -> s.jobId().equals(id))
                    .orElseThrow(() -> HttpError.notFound("no savepoint request '" + p[4] + "' of job " + id)));
        }
        if (p.length == 4 && post) {
            switch (sub) {
                case "savepoints" -> {
                    return Json.of(202, savepoint(id, job, request, false));
                }
                case "stop" -> {
                    return Json.of(202, savepoint(id, job, request, true));
                }
                case "cancel" -> {
                    return Json.of(202, cancel(id, job));
                }
                default -> { }
            }
        }
        throw HttpError.notFound("no route " + request.method() + " " + request.path());
    }

    /** The message of the 400 for a job id the server does not know (clients may compare it). */
    public static String unknownJob(String id) {
        return "unknown job '" + id + "'";
    }

    private Map<String, Object> overview() {
        Map<String, Integer> byState = new TreeMap<>();
        for (String id : jobs.jobIds()) {
            jobs.job(id).ifPresent(j -> byState.merge(j.state(), 1, Integer::sum));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("version", version);
        o.put("workers", jobs.workers());
        o.put("slots", jobs.slots());
        o.put("jobs", byState);
        o.put("workerGauges", jobs.workerGauges());
        return o;
    }

    static Map<String, Object> summary(String id, JobView j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", j.name());
        m.put("state", j.state());
        m.put("startTime", j.startEpochMillis());
        m.put("durationMillis", j.durationMillis());
        m.put("parallelism", j.parallelism());
        m.put("restarts", j.restarts());
        j.details().forEach(m::putIfAbsent);
        return m;
    }

    private Map<String, Object> vertex(String id, JobView job, String vid) {
        int vertexId;
        try {
            vertexId = Integer.parseInt(vid);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("vertex id '" + vid + "' is not a number");
        }
        JobView.Vertex vertex = job.vertices().stream().filter(v -> v.id() == vertexId).findFirst()
                .orElseThrow(() -> HttpError.badRequest("job " + id + " has no vertex " + vertexId));
        List<Map<String, Object>> subtasks = new ArrayList<>();
        for (Sampler.Rated r : sampler.rated(id, job, vertexId)) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("subtask", r.counters().subtask());
            s.put("recordsIn", r.counters().recordsIn());
            s.put("recordsOut", r.counters().recordsOut());
            s.put("recordsInPerSecond", r.recordsInPerSecond());
            s.put("recordsOutPerSecond", r.recordsOutPerSecond());
            s.put("busyRatio", r.busyRatio());
            s.put("idleRatio", r.idleRatio());
            s.put("backpressuredRatio", r.backpressuredRatio());
            s.put("inputWatermark", Watermarks.watermark(r.counters().inputWatermark()));
            long state = r.counters().stateSizeBytes();
            s.put("stateSizeBytes", state < 0 ? null : state);
            subtasks.add(s);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", vertex.id());
        m.put("name", vertex.name());
        m.put("parallelism", vertex.parallelism());
        m.put("kind", vertex.kind());
        m.put("subtasks", subtasks);
        return m;
    }

    /** Every vertex's rates summed over its subtasks and its largest ratios: one request for the whole graph. */
    private List<Map<String, Object>> vertexRates(String id, JobView job) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (JobView.Vertex v : job.vertices()) {
            double in = 0;
            double out = 0;
            double busy = 0;
            double pressured = 0;
            for (Sampler.Rated r : sampler.rated(id, job, v.id())) {
                in += r.recordsInPerSecond();
                out += r.recordsOutPerSecond();
                busy = Math.max(busy, r.busyRatio());
                pressured = Math.max(pressured, r.backpressuredRatio());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", v.id());
            m.put("name", v.name());
            m.put("recordsInPerSecond", in);
            m.put("recordsOutPerSecond", out);
            m.put("maxBusyRatio", busy);
            m.put("maxBackpressuredRatio", pressured);
            result.add(m);
        }
        return result;
    }

    private static Map<String, Object> checkpoints(JobView job) {
        List<CheckpointRecord> all = job.checkpoints();
        long completed = all.stream().filter(c -> c.status().equals("COMPLETED")).count();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("total", all.size());
        counts.put("completed", completed);
        counts.put("failed", all.size() - completed);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("counts", counts);
        m.put("latest", all.subList(Math.max(0, all.size() - LATEST_CHECKPOINTS), all.size()));
        return m;
    }

    private SavepointRequests.Status savepoint(String id, JobView job, Request request, boolean stop) {
        JsonNode body = Json.object(request.body());
        JsonNode target = body.get("target");
        if (target == null || !target.isTextual()) {
            throw HttpError.badRequest("the body needs \"target\": an absolute directory (a string)");
        }
        Path dir = SavepointPaths.confine(target.asText(), savepointRoots(job));
        requireRunning(id, job);
        JobControl control = jobs.control(id).orElseThrow(() -> HttpError.badRequest(unknownJob(id)));
        return savepoints.start(id, control, dir.toString(), stop);
    }

    /** Where a savepoint of {@code job} may go: the server's roots and the job's checkpoint directory. */
    private List<Path> savepointRoots(JobView job) {
        List<Path> roots = new ArrayList<>(savepointRoots);
        job.checkpointDirectory().ifPresent(d -> roots.add(Path.of(d)));
        return roots;
    }

    private Map<String, Object> cancel(String id, JobView job) {
        requireRunning(id, job);
        JobControl control = jobs.control(id).orElseThrow(() -> HttpError.badRequest(unknownJob(id)));
        try {
            control.cancel();
        } catch (Exception e) {
            throw HttpError.conflict("job " + id + " cannot be cancelled: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
        }
        return Map.of("id", id, "cancelRequested", true);
    }

    private static void requireRunning(String id, JobView job) {
        String state = job.state();
        if (state.equals("FINISHED") || state.equals("FAILED") || state.equals("CANCELLED")) {
            throw HttpError.conflict("job " + id + " is " + state);
        }
    }

    @Override
    public void close() {
        savepoints.close();
    }
}
