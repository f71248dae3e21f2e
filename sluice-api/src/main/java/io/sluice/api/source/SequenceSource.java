package io.sluice.api.source;

import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits the numbers {@code from..to} (both inclusive), optionally at most {@code recordsPerSecond} in total.
 * The range is cut into one split per subtask; a split's position is the next number to emit, so a restored
 * reader continues exactly where the checkpoint was taken. With {@code to == Long.MAX_VALUE} it is unbounded.
 * Records carry no timestamp (give a watermark strategy a timestamp assigner); each split emits through its own
 * {@link SourceOutput#forSplit split output}.
 */
public final class SequenceSource implements Source<Long, SequenceSource.Split> {

    /** A range still to emit: {@code next..end} inclusive. */
    public record Split(String splitId, long next, long end) implements SourceSplit {}

    private static final int BATCH = 1024;

    private final long from;
    private final long to;
    private final double recordsPerSecond;

    /** @param recordsPerSecond total rate over all subtasks; 0 or negative means as fast as possible */
    public SequenceSource(long from, long to, double recordsPerSecond) {
        if (to < from) {
            throw new IllegalArgumentException("sequence end " + to + " is before its start " + from);
        }
        this.from = from;
        this.to = to;
        this.recordsPerSecond = recordsPerSecond;
    }

    @Override
    public TypeSerializer<Long> outputType() {
        return Types.LONG;
    }

    @Override
    public boolean isBounded() {
        return to != Long.MAX_VALUE;
    }

    @Override
    public List<Split> createSplits(int parallelism) {
        List<Split> splits = new ArrayList<>(parallelism);
        // Cut in BigInteger-free arithmetic: the span may exceed Long.MAX_VALUE for unbounded sequences.
        double span = (double) to - (double) from + 1;
        long start = from;
        for (int i = 0; i < parallelism; i++) {
            long end = i == parallelism - 1 ? to : from + (long) (span * (i + 1) / parallelism) - 1;
            if (end >= start) {
                splits.add(new Split("seq-" + i, start, end));
            }
            start = end + 1;
        }
        return splits;
    }

    @Override
    public SourceReader<Long, Split> createReader(SourceReaderContext context) {
        double perReader = recordsPerSecond > 0 ? recordsPerSecond / context.parallelism() : 0;
        return new Reader(perReader);
    }

    private static final class Reader implements SourceReader<Long, Split> {
        private final double recordsPerSecond;
        private final List<Split> pending = new ArrayList<>();
        private String splitId;
        private long next;
        private long end;
        private boolean active;
        private long emitted;
        private long startNanos;
        private long waitNanos;

        Reader(double recordsPerSecond) {
            this.recordsPerSecond = recordsPerSecond;
        }

        @Override
        public void addSplits(List<Split> splits) {
            pending.addAll(splits);
        }

        @Override
        public InputStatus pollNext(SourceOutput<Long> output) {
            if (!active && !activateNext()) {
                return InputStatus.END_OF_INPUT;
            }
            SourceOutput<Long> splitOutput = output.forSplit(splitId);
            int budget = BATCH;
            if (recordsPerSecond > 0) {
                long now = System.nanoTime();
                if (startNanos == 0) {
                    startNanos = now;
                }
                long allowed = (long) ((now - startNanos) / 1e9 * recordsPerSecond) + 1 - emitted;
                if (allowed <= 0) {
                    waitNanos = (long) (1e9 / recordsPerSecond);
                    return InputStatus.NOTHING_AVAILABLE;
                }
                budget = (int) Math.min(budget, allowed);
            }
            long last = end - next + 1 <= budget && end - next + 1 > 0 ? end : next + budget - 1;
            for (long v = next; ; v++) { // no "v <= last": last may be Long.MAX_VALUE
                splitOutput.collect(v);
                if (v == last) {
                    break;
                }
            }
            emitted += last - next + 1;
            if (last == end) {
                active = false;
                output.releaseSplit(splitId);
                return pending.isEmpty() ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
            }
            next = last + 1;
            return InputStatus.MORE_AVAILABLE;
        }

        private boolean activateNext() {
            if (pending.isEmpty()) {
                return false;
            }
            Split split = pending.removeFirst();
            splitId = split.splitId();
            next = split.next();
            end = split.end();
            active = true;
            return true;
        }

        @Override
        public long nanosUntilAvailable() {
            return Math.max(waitNanos, 100_000L);
        }

        @Override
        public List<Split> snapshotSplits() {
            List<Split> state = new ArrayList<>();
            if (active) {
                state.add(new Split(splitId, next, end));
            }
            state.addAll(pending);
            return state;
        }
    }
}
