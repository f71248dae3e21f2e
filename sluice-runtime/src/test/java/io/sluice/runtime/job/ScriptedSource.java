package io.sluice.runtime.job;

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
 * A source for event-time tests: each split is a script of events (timestamps, and pauses of wall-clock time before
 * some of them). A reader interleaves its splits, a few events of each per poll, so splits advance at the speed their
 * scripts say. Splits go to subtasks round-robin; a subtask may get none.
 *
 * <p>{@code reportSplits}: emit through {@code output.forSplit(id)} (per-split watermarks) or straight into the output.
 * {@code endless}: once every script is done the reader stays open with nothing to read (an unbounded source whose
 * splits went quiet), instead of ending.
 */
record ScriptedSource(List<Script> scripts, boolean reportSplits, boolean endless) implements Source<ScriptedSource.Event, ScriptedSource.Script> {

    /** What the source emits: the split it came from, its timestamp, and a free-form tag. */
    record Event(String split, long time, String tag) {}

    /** One step of a script: an event at {@code time}, after a pause of {@code pauseMillis} (0: none). */
    record Step(long time, String tag, long pauseMillis) implements java.io.Serializable {
        static Step at(long time) {
            return new Step(time, "", 0);
        }
    }

    /** A split: its steps, from {@code next} on, {@code perPoll} of them per poll. */
    record Script(String splitId, List<Step> steps, int perPoll, int next) implements SourceSplit {
        static Script of(String id, int perPoll, List<Step> steps) {
            return new Script(id, List.copyOf(steps), perPoll, 0);
        }
    }

    @Override
    public TypeSerializer<Event> outputType() {
        return Types.of(Event.class);
    }

    @Override
    public boolean isBounded() {
        return !endless;
    }

    @Override
    public List<Script> createSplits(int parallelism) {
        return scripts;
    }

    @Override
    public SourceReader<Event, Script> createReader(SourceReaderContext context) {
        return new Reader();
    }

    private final class Reader implements SourceReader<Event, Script> {
        private final List<Script> splits = new ArrayList<>();
        private final List<Integer> positions = new ArrayList<>();
        /** Per split: when its pending pause ends (System.nanoTime), or 0. */
        private final List<Long> resumeAt = new ArrayList<>();

        @Override
        public void addSplits(List<Script> added) {
            for (Script s : added) {
                splits.add(s);
                positions.add(s.next());
                resumeAt.add(0L);
            }
        }

        @Override
        public InputStatus pollNext(SourceOutput<Event> output) {
            boolean more = false;
            for (int i = 0; i < splits.size(); i++) {
                Script s = splits.get(i);
                int pos = positions.get(i);
                if (pos >= s.steps().size()) {
                    continue;
                }
                SourceOutput<Event> out = reportSplits ? output.forSplit(s.splitId()) : output;
                for (int k = 0; k < s.perPoll() && pos < s.steps().size(); k++) {
                    Step step = s.steps().get(pos);
                    if (step.pauseMillis() > 0) {
                        long now = System.nanoTime();
                        if (resumeAt.get(i) == 0) {
                            resumeAt.set(i, now + step.pauseMillis() * 1_000_000L);
                        }
                        if (now < resumeAt.get(i)) {
                            break;
                        }
                        resumeAt.set(i, 0L);
                    }
                    out.collect(new Event(s.splitId(), step.time(), step.tag()), step.time());
                    pos++;
                }
                positions.set(i, pos);
                if (pos < s.steps().size()) {
                    more = true;
                } else if (reportSplits && !endless) {
                    output.releaseSplit(s.splitId());
                }
            }
            if (more) {
                boolean pausing = true;
                for (int i = 0; i < splits.size(); i++) {
                    if (positions.get(i) < splits.get(i).steps().size() && resumeAt.get(i) == 0) {
                        pausing = false;
                    }
                }
                return pausing ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
            }
            return endless ? InputStatus.NOTHING_AVAILABLE : InputStatus.END_OF_INPUT;
        }

        @Override
        public long nanosUntilAvailable() {
            return 1_000_000L;
        }

        @Override
        public List<Script> snapshotSplits() {
            List<Script> state = new ArrayList<>();
            for (int i = 0; i < splits.size(); i++) {
                Script s = splits.get(i);
                if (positions.get(i) < s.steps().size()) {
                    state.add(new Script(s.splitId(), s.steps(), s.perPoll(), positions.get(i)));
                }
            }
            return state;
        }
    }
}
