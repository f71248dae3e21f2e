package io.sluice.nexmark.source;

import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import io.sluice.nexmark.generator.NexmarkConfig;
import io.sluice.nexmark.generator.NexmarkGenerator;
import io.sluice.nexmark.model.Event;
import io.sluice.nexmark.run.RunClock;
import java.util.ArrayList;
import java.util.List;

/**
 * Nexmark events as a Sluice source, each with its event time as the record timestamp. The indices are dealt out in
 * strides, one split per subtask ({@code k, k+P, k+2P, ...}), so every split's event time advances at the same pace;
 * a split's position is its next index, so a restored reader continues exactly there.
 *
 * <p>Each reader calls {@link RunClock#markFirstRecord()} once, before it emits its first event, for the benchmark's
 * clock (a flag of its own afterwards: nothing on the per-record path).
 */
public final class NexmarkSource implements Source<Event, NexmarkSource.Split> {

    /** The indices {@code next, next+stride, ...} below {@code end}. */
    public record Split(String splitId, long next, long stride, long end) implements SourceSplit {}

    private static final int BATCH = 1024;

    private final NexmarkConfig config;

    public NexmarkSource(NexmarkConfig config) {
        this.config = config;
    }

    @Override
    public TypeSerializer<Event> outputType() {
        return Types.of(Event.class);
    }

    @Override
    public boolean isBounded() {
        return config.events() != Long.MAX_VALUE;
    }

    @Override
    public List<Split> createSplits(int parallelism) {
        List<Split> splits = new ArrayList<>(parallelism);
        for (int k = 0; k < parallelism && k < config.events(); k++) {
            splits.add(new Split("nexmark-" + k, k, parallelism, config.events()));
        }
        return splits;
    }

    @Override
    public SourceReader<Event, Split> createReader(SourceReaderContext context) {
        return new Reader(new NexmarkGenerator(config));
    }

    private static final class Reader implements SourceReader<Event, Split> {
        private final NexmarkGenerator generator;
        private final List<Split> pending = new ArrayList<>();
        private Split current;
        private long next;
        private boolean marked;

        Reader(NexmarkGenerator generator) {
            this.generator = generator;
        }

        @Override
        public void addSplits(List<Split> splits) {
            pending.addAll(splits);
        }

        @Override
        public InputStatus pollNext(SourceOutput<Event> output) {
            if (current == null) {
                if (pending.isEmpty()) {
                    return InputStatus.END_OF_INPUT;
                }
                current = pending.removeFirst();
                next = current.next();
            }
            if (!marked) {
                marked = true;
                RunClock.markFirstRecord();
            }
            SourceOutput<Event> splitOutput = output.forSplit(current.splitId());
            long stride = current.stride();
            long end = current.end();
            for (int n = 0; n < BATCH && next < end; n++, next += stride) {
                Event e = generator.event(next);
                splitOutput.collect(e, e.time());
            }
            if (next >= end) {
                output.releaseSplit(current.splitId());
                current = null;
                return pending.isEmpty() ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
            }
            return InputStatus.MORE_AVAILABLE;
        }

        @Override
        public List<Split> snapshotSplits() {
            List<Split> state = new ArrayList<>();
            if (current != null) {
                state.add(new Split(current.splitId(), next, current.stride(), current.end()));
            }
            state.addAll(pending);
            return state;
        }
    }
}
