package io.sluice.runtime.source;

import io.sluice.api.source.EnumeratorCheckpoint;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.source.SplitEnumerator;
import io.sluice.api.source.SplitEnumeratorContext;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The numbers {@code 1..n} cut into {@code splits} ranges that readers pull one at a time from an enumerator (as file
 * readers do), at most {@code perPoll} numbers per poll and {@code perReaderPerSecond} per second (0: no limit), so
 * checkpoints fall in the middle of splits.
 */
record PulledNumbers(long n, int splits, int perPoll, double perReaderPerSecond) implements Source<Long, PulledNumbers.Range> {

    /** Numbers {@code next..end} still to emit. */
    record Range(String splitId, long next, long end) implements SourceSplit {}

    @Override
    public TypeSerializer<Long> outputType() {
        return Types.LONG;
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<Range> createSplits(int parallelism) {
        List<Range> ranges = new ArrayList<>();
        long start = 1;
        for (int i = 0; i < splits; i++) {
            long end = i == splits - 1 ? n : start + n / splits - 1;
            ranges.add(new Range("range-" + i, start, end));
            start = end + 1;
        }
        return ranges;
    }

    @Override
    public SplitEnumerator<Range> createEnumerator(SplitEnumeratorContext<Range> context) {
        return new OnRequest(context, createSplits(context.parallelism()));
    }

    @Override
    public SplitEnumerator<Range> restoreEnumerator(SplitEnumeratorContext<Range> context,
            EnumeratorCheckpoint<Range> checkpoint) {
        return new OnRequest(context, checkpoint.unassigned());
    }

    @Override
    public SourceReader<Long, Range> createReader(SourceReaderContext context) {
        return new Reader(context, perPoll, perReaderPerSecond);
    }

    /** One range per request; "no more" when none is left. */
    static final class OnRequest implements SplitEnumerator<Range> {
        private final SplitEnumeratorContext<Range> context;
        private final ArrayDeque<Range> remaining;

        OnRequest(SplitEnumeratorContext<Range> context, List<Range> ranges) {
            this.context = context;
            this.remaining = new ArrayDeque<>(ranges);
        }

        @Override
        public void addReader(int subtask) {}

        @Override
        public void handleSplitRequest(int subtask) {
            Range next = remaining.poll();
            if (next == null) {
                context.signalNoMoreSplits(subtask);
            } else {
                context.assignSplits(subtask, List.of(next));
            }
        }

        @Override
        public void addSplitsBack(List<Range> splits, int subtask) {
            remaining.addAll(splits);
        }

        @Override
        public List<Range> snapshotState(long checkpointId) {
            return List.copyOf(remaining);
        }
    }

    /** Reads its ranges in order; asks for the next one when it has none queued. */
    static final class Reader implements SourceReader<Long, Range> {
        private final SourceReaderContext context;
        private final int perPoll;
        private final double perSecond;
        private long startNanos;
        private long emitted;
        private final ArrayDeque<Range> queued = new ArrayDeque<>();
        private Range current;
        private boolean requested;
        private boolean noMore;

        Reader(SourceReaderContext context, int perPoll, double perSecond) {
            this.context = context;
            this.perPoll = perPoll;
            this.perSecond = perSecond;
        }

        /** How many numbers the rate allows now. */
        private long allowed() {
            if (perSecond <= 0) {
                return perPoll;
            }
            long now = System.nanoTime();
            if (startNanos == 0) {
                startNanos = now;
            }
            return Math.min(perPoll, (long) ((now - startNanos) / 1e9 * perSecond) + 1 - emitted);
        }

        @Override
        public long nanosUntilAvailable() {
            return 200_000L;
        }

        @Override
        public void addSplits(List<Range> splits) {
            requested = false;
            queued.addAll(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            requested = false;
            noMore = true;
        }

        @Override
        public InputStatus pollNext(SourceOutput<Long> output) {
            if (current == null) {
                current = queued.poll();
                if (queued.isEmpty() && !requested && !noMore) {
                    requested = true;
                    context.sendSplitRequest();
                }
                if (current == null) {
                    return noMore ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
                }
            }
            long budget = allowed();
            if (budget <= 0) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            SourceOutput<Long> out = output.forSplit(current.splitId());
            long last = Math.min(current.end(), current.next() + budget - 1);
            emitted += last - current.next() + 1;
            for (long v = current.next(); v <= last; v++) {
                out.collect(v);
            }
            if (last == current.end()) {
                output.releaseSplit(current.splitId());
                current = null;
            } else {
                current = new Range(current.splitId(), last + 1, current.end());
            }
            return InputStatus.MORE_AVAILABLE;
        }

        @Override
        public List<Range> snapshotSplits() {
            List<Range> held = new ArrayList<>();
            if (current != null) {
                held.add(current);
            }
            held.addAll(queued);
            return held;
        }
    }
}
