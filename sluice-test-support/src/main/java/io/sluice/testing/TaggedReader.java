package io.sluice.testing;

import io.sluice.api.functions.OutputTag;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a user's splits with the user's reader and tags every record it emits through a split's output
 * ({@code forSplit}) with that split's id and next offset. Records emitted without a split cannot be tagged and fail
 * the job, naming the source. Splits are matched to the user's by the user's split id, which must be stable
 * ({@link SourceSplit#splitId()}): a snapshot naming a split the reader was not given fails, naming both.
 *
 * <p>Threading: the runtime calls every method on the subtask's task thread (see {@link SourceReader}).
 */
final class TaggedReader<T, S extends SourceSplit> implements SourceReader<Tagged<T>, TaggedSplit<S>> {

    /** The tag coordinates of one split: its qualified id and the offset its next record gets. */
    private static final class Position {
        final String splitId;
        long next;

        Position(String splitId, long next) {
            this.splitId = splitId;
            this.next = next;
        }
    }

    private final SourceReader<T, S> reader;
    private final String sourceName;
    private final String chainKey;
    /** By the user's split id as given to {@link #addSplits}. */
    private final Map<String, Position> positions = new HashMap<>();
    private SourceOutput<Tagged<T>> wrappedOutput;
    private TaggingOutput tagging;
    private boolean polled;

    TaggedReader(SourceReader<T, S> reader, String sourceName, String chainKey) {
        this.reader = reader;
        this.sourceName = sourceName;
        this.chainKey = chainKey;
    }

    /** Passed on: a wrapped reader that asks for splits ends only once it hears that no more will come. */
    @Override
    public void notifyNoMoreSplits() {
        reader.notifyNoMoreSplits();
    }

    @Override
    public void addSplits(List<TaggedSplit<S>> splits) throws Exception {
        List<S> own = new ArrayList<>(splits.size());
        for (TaggedSplit<S> split : splits) {
            String id = split.split().splitId();
            if (positions.put(id, new Position(split.splitId(), split.nextOffset())) != null) {
                throw new IllegalStateException("source '" + sourceName + "' was given two splits with the id '" + id
                        + "': split ids must be unique within a source");
            }
            own.add(split.split());
        }
        reader.addSplits(own);
    }

    @Override
    public InputStatus pollNext(SourceOutput<Tagged<T>> output) throws Exception {
        if (!polled) {
            polled = true;
            ChainCheck.readingHere(chainKey);
        }
        if (output != wrappedOutput) {
            wrappedOutput = output;
            tagging = new TaggingOutput(output);
        }
        return reader.pollNext(tagging);
    }

    @Override
    public long nanosUntilAvailable() {
        return reader.nanosUntilAvailable();
    }

    @Override
    public List<TaggedSplit<S>> snapshotSplits() {
        return tag(reader.snapshotSplits());
    }

    @Override
    public List<TaggedSplit<S>> snapshotSplits(long checkpointId) {
        return tag(reader.snapshotSplits(checkpointId));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        reader.notifyCheckpointComplete(checkpointId);
    }

    private List<TaggedSplit<S>> tag(List<S> splits) {
        List<TaggedSplit<S>> tagged = new ArrayList<>(splits.size());
        for (S split : splits) {
            Position p = positions.get(split.splitId());
            if (p == null) {
                throw new IllegalStateException("the reader of source '" + sourceName + "' returned a split with the id '"
                        + split.splitId() + "' from snapshotSplits, but was never given one with that id (given: "
                        + positions.keySet() + "): the verifier needs split ids that stay the same while a split is read "
                        + "(SourceSplit.splitId is a stable id)");
            }
            tagged.add(new TaggedSplit<>(p.splitId, p.next, split));
        }
        return tagged;
    }

    @Override
    public void close() throws Exception {
        reader.close();
    }

    private Position position(String userSplitId) {
        Position p = positions.get(userSplitId);
        if (p == null) {
            throw new IllegalStateException("the reader of source '" + sourceName + "' emitted through forSplit(\""
                    + userSplitId + "\"), but holds no split with that id (it holds " + positions.keySet() + ")");
        }
        return p;
    }

    /** The output handed to the user's reader: per-split outputs that tag, and no untagged way out. */
    private final class TaggingOutput implements SourceOutput<T> {
        private final SourceOutput<Tagged<T>> output;
        private final Map<String, SplitOutput> splits = new HashMap<>();

        TaggingOutput(SourceOutput<Tagged<T>> output) {
            this.output = output;
        }

        @Override
        public void collect(T record) {
            throw untagged();
        }

        @Override
        public void collect(T record, long timestamp) {
            throw untagged();
        }

        private IllegalStateException untagged() {
            return new IllegalStateException("the reader of source '" + sourceName + "' emitted a record without "
                    + "SourceOutput.forSplit(splitId): the verifier tags each record with its split, so the reader must "
                    + "emit every record through its split's output");
        }

        @Override
        public SourceOutput<T> forSplit(String splitId) {
            SplitOutput split = splits.get(splitId);
            if (split == null) {
                Position p = position(splitId);
                split = new SplitOutput(output.forSplit(p.splitId), p, this);
                splits.put(splitId, split);
            }
            return split;
        }

        @Override
        public void releaseSplit(String splitId) {
            splits.remove(splitId);
            output.releaseSplit(position(splitId).splitId);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.output(tag, value);
        }
    }

    /** One split's output: each record gets the split's next offset. */
    private final class SplitOutput implements SourceOutput<T> {
        private final SourceOutput<Tagged<T>> output;
        private final Position position;
        private final TaggingOutput root;

        SplitOutput(SourceOutput<Tagged<T>> output, Position position, TaggingOutput root) {
            this.output = output;
            this.position = position;
            this.root = root;
        }

        @Override
        public void collect(T record) {
            output.collect(new Tagged<>(position.splitId, position.next++, record));
        }

        @Override
        public void collect(T record, long timestamp) {
            output.collect(new Tagged<>(position.splitId, position.next++, record), timestamp);
        }

        @Override
        public SourceOutput<T> forSplit(String splitId) {
            return root.forSplit(splitId);
        }

        @Override
        public void releaseSplit(String splitId) {
            root.releaseSplit(splitId);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            output.output(tag, value);
        }
    }
}
