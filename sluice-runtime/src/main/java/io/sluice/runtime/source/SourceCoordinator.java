package io.sluice.runtime.source;

import io.sluice.api.source.SourceSplit;
import io.sluice.api.source.SplitEnumerator;
import io.sluice.api.source.SplitEnumeratorContext;
import io.sluice.runtime.serialization.SplitLists;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts one source's {@link SplitEnumerator} for one run of a job: passes readers' registrations and requests to it,
 * and its assignments to the readers, in order, through each reader's {@link ReaderGateway}. An event a reader has
 * no room for waits in that reader's outbox and is offered again; the splits waiting there still belong to the
 * enumerator's side in a checkpoint.
 *
 * <p>Threading: every method except {@link #registerReader} and {@link #requestSplit} runs on the run's source
 * coordinator thread ({@link SourceCoordinators}), which owns all fields.
 */
final class SourceCoordinator implements SplitRequests {
    private static final Logger LOG = LoggerFactory.getLogger(SourceCoordinator.class);
    private static final long RETRY_MILLIS = 2;
    /** Events one reader may have waiting; far above what a reader that keeps up leaves, a bound on one that does not. */
    private static final int MAX_WAITING = 100_000;

    private final String uid;
    private final String name;
    private final int parallelism;
    private final SourceCoordinators thread;
    private final Set<String> finishedSplits;
    /** Set by the deploying thread before the readers start, read on the coordinator thread. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<ReaderGateway> gateways;
    private final List<ArrayDeque<ReaderEvent>> outboxes = new ArrayList<>();
    private SplitEnumerator<SourceSplit> enumerator;
    private boolean retryScheduled;

    /**
     * @param finishedSplits ids of splits the source finished in an earlier run: never assigned again
     */
    SourceCoordinator(String uid, String name, int parallelism, SourceCoordinators thread, Set<String> finishedSplits) {
        this.uid = uid;
        this.name = name;
        this.parallelism = parallelism;
        this.thread = thread;
        this.finishedSplits = Set.copyOf(finishedSplits);
        this.gateways = new java.util.concurrent.atomic.AtomicReferenceArray<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            outboxes.add(new ArrayDeque<>());
        }
    }

    String uid() {
        return uid;
    }

    /** Coordinator thread: the enumerator this coordinator hosts, created by the caller through {@link #context()}. */
    void setEnumerator(SplitEnumerator<SourceSplit> enumerator) throws Exception {
        this.enumerator = enumerator;
        enumerator.start();
    }

    /** Before the readers start: how to reach reader {@code subtask}. */
    void connect(int subtask, ReaderGateway gateway) {
        gateways.set(subtask, gateway);
    }

    @Override
    public void registerReader(int subtask) {
        thread.run(name, () -> {
            enumerator.addReader(subtask);
            send(subtask, new ReaderEvent.Registered());
        });
    }

    @Override
    public void requestSplit(int subtask) {
        thread.run(name, () -> enumerator.handleSplitRequest(subtask));
    }

    /** Coordinator thread: the splits owned on this side now, serialized (the enumerator's, and those not delivered). */
    byte[] snapshot(long checkpointId) throws Exception {
        List<SourceSplit> owned = new ArrayList<>(enumerator.snapshotState(checkpointId));
        for (ArrayDeque<ReaderEvent> outbox : outboxes) {
            for (ReaderEvent e : outbox) {
                if (e instanceof ReaderEvent.SplitsAssigned assigned) {
                    owned.addAll(assigned.splits());
                }
            }
        }
        return SplitLists.write(owned);
    }

    /** Coordinator thread. */
    void close() {
        if (enumerator == null) {
            return;
        }
        try {
            enumerator.close();
        } catch (Exception e) {
            LOG.warn("Source '{}': closing its enumerator failed", name, e);
        }
    }

    /** The context handed to the enumerator; its methods run on the coordinator thread. */
    SplitEnumeratorContext<SourceSplit> context() {
        return new SplitEnumeratorContext<>() {
            @Override
            public int parallelism() {
                return parallelism;
            }

            @Override
            public String operatorName() {
                return name;
            }

            @Override
            public void assignSplits(int subtask, List<SourceSplit> splits) {
                checkSubtask(subtask);
                List<SourceSplit> fresh = new ArrayList<>(splits.size());
                for (SourceSplit s : splits) {
                    if (finishedSplits.contains(s.splitId())) {
                        LOG.warn("Source '{}': split '{}' was finished already; not assigned again", name, s.splitId());
                    } else {
                        fresh.add(s);
                    }
                }
                if (!fresh.isEmpty()) {
                    send(subtask, new ReaderEvent.SplitsAssigned(fresh));
                }
            }

            @Override
            public void signalNoMoreSplits(int subtask) {
                checkSubtask(subtask);
                send(subtask, new ReaderEvent.NoMoreSplits());
            }

            @Override
            public void schedulePeriodic(Runnable action, Duration period) {
                thread.schedulePeriodic(name, action, period.toMillis());
            }
        };
    }

    private void checkSubtask(int subtask) {
        if (subtask < 0 || subtask >= parallelism) {
            throw new IllegalArgumentException("source '" + name + "' has readers 0.." + (parallelism - 1)
                    + ", not " + subtask);
        }
    }

    private void send(int subtask, ReaderEvent event) {
        if (outboxes.get(subtask).size() >= MAX_WAITING) {
            throw new IllegalStateException("source '" + name + "': reader " + (subtask + 1) + "/" + parallelism
                    + " has " + MAX_WAITING + " events waiting and takes none");
        }
        outboxes.get(subtask).add(event);
        deliver(subtask);
    }

    /**
     * Offers reader {@code subtask}'s waiting events in order, until one finds no room (or the reader is not connected
     * yet: an enumerator may assign from a periodic action before every reader was deployed).
     */
    private void deliver(int subtask) {
        ArrayDeque<ReaderEvent> outbox = outboxes.get(subtask);
        ReaderGateway gateway = gateways.get(subtask);
        while (gateway != null && !outbox.isEmpty() && gateway.tryDeliver(outbox.peek())) {
            outbox.poll();
        }
        if (!outbox.isEmpty() && !retryScheduled) {
            retryScheduled = true;
            thread.schedule(name, this::retry, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void retry() {
        retryScheduled = false;
        for (int s = 0; s < parallelism; s++) {
            deliver(s);
        }
    }
}
