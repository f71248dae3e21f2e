package io.sluice.testing;

import io.sluice.api.source.EnumeratorCheckpoint;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.source.SplitEnumerator;
import io.sluice.api.source.SplitEnumeratorContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Runs a source the way the runtime does, in one thread, with the order of independent steps chosen by a seeded
 * {@link Random}: an enumerator with its context, readers that register, receive the enumerator's events in order and
 * ask for splits (answered later, as on the source coordinator thread), polls; checkpoints (the enumerator's splits,
 * then each reader's after the events sent before) and restores at another parallelism. Records go to {@link #output}.
 *
 * <p>Not thread-safe; a driver per test.
 */
final class SourceDriver<T, S extends SourceSplit> {
    /** A checkpoint of the whole source: the enumerator's splits and each reader's. */
    record Checkpoint<S>(List<S> enumerator, List<List<S>> readers, int outputSize) {}

    private sealed interface Event<S> {}

    private record Assign<S>(List<S> splits) implements Event<S> {}

    private record NoMore<S>() implements Event<S> {}

    private record Registered<S>() implements Event<S> {}

    private final Source<T, S> source;
    private final Random random;
    private final List<T> output = new ArrayList<>();
    private final List<SourceReader<T, S>> readers = new ArrayList<>();
    private final List<ArrayDeque<Event<S>>> inboxes = new ArrayList<>();
    private final ArrayDeque<Integer> requests = new ArrayDeque<>();
    private final List<Runnable> periodic = new ArrayList<>();
    private boolean[] registered;
    private boolean[] ended;
    private SplitEnumerator<S> enumerator;
    private long checkpointId;

    SourceDriver(Source<T, S> source, Random random) {
        this.source = source;
        this.random = random;
    }

    List<T> output() {
        return output;
    }

    /** Starts {@code parallelism} readers: fresh, or from {@code checkpoint} (its splits dealt round-robin). */
    void start(int parallelism, Checkpoint<S> checkpoint) throws Exception {
        close();
        readers.clear();
        inboxes.clear();
        requests.clear();
        periodic.clear();
        registered = new boolean[parallelism];
        ended = new boolean[parallelism];
        SplitEnumeratorContext<S> context = context(parallelism);
        if (checkpoint == null) {
            enumerator = source.createEnumerator(context);
        } else {
            Set<String> known = new HashSet<>();
            checkpoint.enumerator().forEach(s -> known.add(s.splitId()));
            checkpoint.readers().forEach(r -> r.forEach(s -> known.add(s.splitId())));
            enumerator = source.restoreEnumerator(context, new EnumeratorCheckpoint<>(checkpoint.enumerator(), known));
            while (output.size() > checkpoint.outputSize()) {
                output.removeLast(); // what was emitted after the checkpoint is replayed
            }
        }
        enumerator.start();
        List<List<S>> dealt = new ArrayList<>();
        for (int r = 0; r < parallelism; r++) {
            dealt.add(new ArrayList<>());
        }
        if (checkpoint != null) {
            List<S> all = new ArrayList<>();
            checkpoint.readers().forEach(all::addAll);
            for (int i = 0; i < all.size(); i++) {
                dealt.get(i % parallelism).add(all.get(i));
            }
        }
        for (int r = 0; r < parallelism; r++) {
            inboxes.add(new ArrayDeque<>());
            SourceReader<T, S> reader = source.createReader(readerContext(r, parallelism));
            readers.add(reader);
            if (!dealt.get(r).isEmpty()) {
                reader.addSplits(dealt.get(r));
            }
            enumerator.addReader(r);
            inboxes.get(r).add(new Registered<>());
        }
    }

    /**
     * Runs random steps until every reader ended, at most {@code maxSteps}; {@code false} if they did not all end.
     * {@code stopAfter}, if positive, stops early after that many steps (to checkpoint in the middle).
     */
    boolean run(int maxSteps, int stopAfter) throws Exception {
        for (int step = 0; step < maxSteps; step++) {
            if (allEnded()) {
                return true;
            }
            if (stopAfter > 0 && step >= stopAfter) {
                return false;
            }
            step();
        }
        return allEnded();
    }

    boolean allEnded() {
        for (boolean e : ended) {
            if (!e) {
                return false;
            }
        }
        return true;
    }

    private void step() throws Exception {
        int choice = random.nextInt(10);
        if (choice == 0 && !requests.isEmpty()) {
            enumerator.handleSplitRequest(requests.poll());
            return;
        }
        if (choice == 1 && !periodic.isEmpty()) {
            periodic.get(random.nextInt(periodic.size())).run();
            return;
        }
        int r = random.nextInt(readers.size());
        if (ended[r]) {
            if (!requests.isEmpty()) {
                enumerator.handleSplitRequest(requests.poll());
            }
            return;
        }
        if (choice <= 4 && !inboxes.get(r).isEmpty()) {
            deliver(r);
            return;
        }
        if (!registered[r]) {
            deliver(r);
            return;
        }
        InputStatus status = readers.get(r).pollNext(new Collecting());
        if (status == InputStatus.END_OF_INPUT) {
            ended[r] = true;
        } else if (status == InputStatus.NOTHING_AVAILABLE && !requests.isEmpty()) {
            enumerator.handleSplitRequest(requests.poll());
        }
    }

    private void deliver(int r) throws Exception {
        Event<S> event = inboxes.get(r).poll();
        if (event == null) {
            return;
        }
        switch (event) {
            case Assign<S> a -> readers.get(r).addSplits(a.splits());
            case NoMore<S> n -> readers.get(r).notifyNoMoreSplits();
            case Registered<S> g -> registered[r] = true;
        }
    }

    /**
     * A checkpoint now: the enumerator's splits first, then each reader's, after it received the events sent before
     * (as the runtime orders a reader's trigger after the assignments the enumerator's state does not hold).
     */
    Checkpoint<S> checkpoint() throws Exception {
        List<S> enumeratorSplits = List.copyOf(enumerator.snapshotState(++checkpointId));
        List<List<S>> readerSplits = new ArrayList<>();
        for (int r = 0; r < readers.size(); r++) {
            while (!inboxes.get(r).isEmpty()) {
                deliver(r);
            }
            readerSplits.add(ended[r] ? List.of() : List.copyOf(readers.get(r).snapshotSplits()));
        }
        return new Checkpoint<>(enumeratorSplits, readerSplits, output.size());
    }

    void close() throws Exception {
        for (SourceReader<T, S> reader : readers) {
            reader.close();
        }
        if (enumerator != null) {
            enumerator.close();
        }
    }

    private SplitEnumeratorContext<S> context(int parallelism) {
        return new SplitEnumeratorContext<>() {
            @Override
            public int parallelism() {
                return parallelism;
            }

            @Override
            public String operatorName() {
                return "contract";
            }

            @Override
            public void assignSplits(int subtask, List<S> splits) {
                inboxes.get(subtask).add(new Assign<>(List.copyOf(splits)));
            }

            @Override
            public void signalNoMoreSplits(int subtask) {
                inboxes.get(subtask).add(new NoMore<>());
            }

            @Override
            public void schedulePeriodic(Runnable action, Duration period) {
                periodic.add(action);
            }
        };
    }

    private SourceReaderContext readerContext(int subtask, int parallelism) {
        return new SourceReaderContext() {
            @Override
            public int subtaskIndex() {
                return subtask;
            }

            @Override
            public int parallelism() {
                return parallelism;
            }

            @Override
            public String operatorName() {
                return "contract";
            }

            @Override
            public void sendSplitRequest() {
                requests.add(subtask);
            }
        };
    }

    /** Collects every record, through any split output. */
    private final class Collecting implements SourceOutput<T> {
        @Override
        public void collect(T record) {
            output.add(record);
        }

        @Override
        public void collect(T record, long timestamp) {
            output.add(record);
        }
    }
}
