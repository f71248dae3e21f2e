package io.sluice.runtime.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs an embedded cluster ran, numbered {@code job-1}, {@code job-2}, ... in submission order; at most
 * {@link #MAX_JOBS} kept (the oldest ended one is forgotten to make room). Thread-safe (one lock, held only to read
 * or change the table).
 */
public final class JobRegistry implements JobsView {
    /** How many jobs are kept. */
    public static final int MAX_JOBS = 256;
    private final Map<String, MonitoredJob> jobs = new LinkedHashMap<>();
    private final int slots;
    private int next = 1;

    /** @param slots what {@link #slots()} reports (the embedded cluster: the processors of the machine) */
    public JobRegistry(int slots) {
        this.slots = slots;
    }

    /** Adds {@code job}; returns its id. */
    public synchronized String register(MonitoredJob job) {
        if (jobs.size() >= MAX_JOBS) {
            jobs.entrySet().stream().filter(e -> isFinal(e.getValue().state())).findFirst()
                    .or(() -> jobs.entrySet().stream().findFirst())
                    .ifPresent(e -> jobs.remove(e.getKey()));
        }
        String id = "job-" + next++;
        jobs.put(id, job);
        return id;
    }

    private static boolean isFinal(String state) {
        return state.equals("FINISHED") || state.equals("FAILED") || state.equals("CANCELLED");
    }

    @Override
    public synchronized List<String> jobIds() {
        return new ArrayList<>(jobs.keySet());
    }

    @Override
    public synchronized Optional<JobView> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public synchronized Optional<JobControl> control(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public int slots() {
        return slots;
    }
}
