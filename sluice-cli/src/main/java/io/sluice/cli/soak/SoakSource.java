package io.sluice.cli.soak;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link SoakInput}: emits record ids with their event time ({@code seq}), one split per input split, at the
 * input's rate. A reader reads all its splits side by side (round robin, each at the same pace), each through its own
 * split output, so no split runs ahead of another in event time and none of its records is ever late. A split's
 * position is the next seq to emit: a restored reader continues exactly where the checkpoint was taken.
 *
 * <p>Fault: {@link FaultKind#SOURCE_SNAPSHOT} throws from {@code snapshotSplits()}. Readers run on their task thread.
 */
final class SoakSource implements Source<Long, SoakSource.Split> {

    /** Split {@code index} of the input, whose next record is at position {@code next}. */
    record Split(String splitId, int index, long next) implements SourceSplit {}

    /** Records emitted per poll at most, so the task gets to checkpoints and timers between polls. */
    private static final int BATCH = 256;

    private final SoakInput input;

    SoakSource(SoakInput input) {
        this.input = input;
    }

    @Override
    public TypeSerializer<Long> outputType() {
        return Types.LONG;
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<Split> createSplits(int parallelism) {
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < input.splits(); i++) {
            splits.add(new Split("soak-" + i, i, 0));
        }
        return splits;
    }

    @Override
    public SourceReader<Long, Split> createReader(SourceReaderContext context) {
        return new Reader(input);
    }

    /** One subtask's reader. Task thread only. */
    private static final class Reader implements SourceReader<Long, Split> {
        private final SoakInput input;
        private final double perSplitPerNano;
        private final List<Reading> splits = new ArrayList<>();
        private long startNanos;
        private boolean outputsTaken;

        Reader(SoakInput input) {
            this.input = input;
            this.perSplitPerNano = input.recordsPerSecond() / input.splits() / 1e9;
        }

        /** A split being read: its output, where it started in this reader and where it is. */
        private static final class Reading {
            final Split split;
            final long firstSeq;
            final long length;
            long next;
            SourceOutput<Long> output;

            Reading(Split split, long length) {
                this.split = split;
                this.length = length;
                this.firstSeq = split.next();
                this.next = split.next();
            }
        }

        @Override
        public void addSplits(List<Split> added) {
            for (Split s : added) {
                splits.add(new Reading(s, input.splitLength(s.index())));
            }
        }

        @Override
        public InputStatus pollNext(SourceOutput<Long> output) {
            if (!outputsTaken) {
                // Every split gets its output (and so its watermark) before any record is emitted: a restored split
                // behind the others then holds the watermark back from the start.
                for (Reading r : splits) {
                    r.output = output.forSplit(r.split.splitId());
                }
                outputsTaken = true;
                startNanos = System.nanoTime();
            }
            if (splits.isEmpty()) {
                return InputStatus.END_OF_INPUT;
            }
            long due = (long) ((System.nanoTime() - startNanos) * perSplitPerNano) + 1; // records per split by now
            int emitted = 0;
            boolean progressed = true;
            while (emitted < BATCH && progressed) {
                progressed = false;
                for (int i = 0; i < splits.size() && emitted < BATCH; i++) {
                    Reading r = splits.get(i);
                    if (r.next - r.firstSeq < due && r.next < r.length) {
                        r.output.collect(input.id(r.split.index(), r.next), r.next);
                        r.next++;
                        emitted++;
                        progressed = true;
                    }
                }
            }
            for (int i = splits.size() - 1; i >= 0; i--) {
                Reading r = splits.get(i);
                if (r.next >= r.length) {
                    output.releaseSplit(r.split.splitId());
                    splits.remove(i);
                }
            }
            if (splits.isEmpty()) {
                return InputStatus.END_OF_INPUT;
            }
            return emitted > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public long nanosUntilAvailable() {
            return 1_000_000L;
        }

        @Override
        public List<Split> snapshotSplits() {
            SoakFaults.maybeFail(FaultKind.SOURCE_SNAPSHOT);
            List<Split> state = new ArrayList<>(splits.size());
            for (Reading r : splits) {
                state.add(new Split(r.split.splitId(), r.split.index(), r.next));
            }
            return state;
        }
    }
}
