package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.api.source.CollectionSource;
import io.sluice.api.source.InputStatus;
import io.sluice.api.source.Source;
import io.sluice.api.source.SourceOutput;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import io.sluice.api.types.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The tagged source: offsets per split, continued after a restore from its checkpointed splits; clear errors. */
class TaggedSourceTest {

    private static final SourceReaderContext CONTEXT = new TaskContext(0, 1, "numbers");

    /** Collects what a reader emits, per split. */
    private static final class Collecting implements SourceOutput<Tagged<Integer>> {
        final List<Tagged<Integer>> records = new ArrayList<>();
        final List<String> splitsUsed = new ArrayList<>();

        @Override
        public void collect(Tagged<Integer> record) {
            records.add(record);
        }

        @Override
        public void collect(Tagged<Integer> record, long timestamp) {
            records.add(record);
        }

        @Override
        public SourceOutput<Tagged<Integer>> forSplit(String splitId) {
            if (!splitsUsed.contains(splitId)) {
                splitsUsed.add(splitId);
            }
            return this;
        }
    }

    private static <S extends SourceSplit> void readAll(SourceReader<Tagged<Integer>, S> reader, SourceOutput<Tagged<Integer>> out)
            throws Exception {
        for (int polls = 0; polls < 1_000 && reader.pollNext(out) != InputStatus.END_OF_INPUT; polls++) {
            // bounded: the collection source ends
        }
    }

    @Test
    void offsetsCountPerSplitAndContinueFromTheCheckpointedSplits() throws Exception {
        List<Integer> values = IntStream.range(0, 3_000).boxed().toList();
        TaggedSource<Integer, CollectionSource.Split> source =
                new TaggedSource<>(new CollectionSource<>(values, Types.INT), "numbers", null);
        List<TaggedSplit<CollectionSource.Split>> splits = source.createSplits(2);
        assertEquals(List.of("numbers/elements-0", "numbers/elements-1"), splits.stream().map(TaggedSplit::splitId).toList());

        SourceReader<Tagged<Integer>, TaggedSplit<CollectionSource.Split>> first = source.createReader(CONTEXT);
        first.addSplits(splits);
        Collecting out = new Collecting();
        first.pollNext(out); // one batch of the first split
        List<TaggedSplit<CollectionSource.Split>> checkpointed = javaCopy(first.snapshotSplits());
        int before = out.records.size();
        first.pollNext(out); // read after the checkpoint: replayed after the restore

        SourceReader<Tagged<Integer>, TaggedSplit<CollectionSource.Split>> restored = source.createReader(CONTEXT);
        restored.addSplits(checkpointed);
        Collecting after = new Collecting();
        readAll(restored, after);
        List<Tagged<Integer>> all = new ArrayList<>(out.records.subList(0, before));
        all.addAll(after.records);
        assertEquals(values.size(), all.size());
        for (Tagged<Integer> t : all) {
            boolean firstHalf = t.value() < 1_500;
            assertEquals(firstHalf ? "numbers/elements-0" : "numbers/elements-1", t.split());
            assertEquals(firstHalf ? t.value() : t.value() - 1_500, t.offset(), t.toString());
        }
        assertEquals(List.of("numbers/elements-0", "numbers/elements-1"), after.splitsUsed, "split outputs by tagged id");
    }

    @SuppressWarnings("unchecked")
    private static <T> T javaCopy(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /** A split whose id changes with its position, against the contract of {@link SourceSplit#splitId()}. */
    record DriftingSplit(int next) implements SourceSplit {
        @Override
        public String splitId() {
            return "at-" + next;
        }
    }

    /** Emits one record per poll, through its split's output or, if {@code untagged}, without. */
    record Drifting(boolean untagged) implements Source<Integer, DriftingSplit> {
        @Override
        public TypeSerializer<Integer> outputType() {
            return Types.INT;
        }

        @Override
        public boolean isBounded() {
            return true;
        }

        @Override
        public List<DriftingSplit> createSplits(int parallelism) {
            return List.of(new DriftingSplit(0));
        }

        @Override
        public SourceReader<Integer, DriftingSplit> createReader(SourceReaderContext context) {
            return new SourceReader<>() {
                private DriftingSplit split;

                @Override
                public void addSplits(List<DriftingSplit> splits) {
                    split = splits.getFirst();
                }

                @Override
                public InputStatus pollNext(SourceOutput<Integer> output) {
                    (untagged ? output : output.forSplit(split.splitId())).collect(split.next());
                    split = new DriftingSplit(split.next() + 1);
                    return InputStatus.MORE_AVAILABLE;
                }

                @Override
                public List<DriftingSplit> snapshotSplits() {
                    return List.of(split);
                }
            };
        }
    }

    @Test
    void unstableSplitIdsAndRecordsWithoutASplitFailNamingTheSource() throws Exception {
        TaggedSource<Integer, DriftingSplit> drifting = new TaggedSource<>(new Drifting(false), "drifting", null);
        SourceReader<Tagged<Integer>, TaggedSplit<DriftingSplit>> reader = drifting.createReader(CONTEXT);
        reader.addSplits(drifting.createSplits(1));
        Collecting out = new Collecting();
        reader.pollNext(out);
        IllegalStateException e = assertThrows(IllegalStateException.class, reader::snapshotSplits);
        assertTrue(e.getMessage().contains("source 'drifting'") && e.getMessage().contains("'at-1'")
                && e.getMessage().contains("[at-0]") && e.getMessage().contains("stable"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> reader.pollNext(out));
        assertTrue(e.getMessage().contains("forSplit(\"at-1\")") && e.getMessage().contains("holds no split"), e.getMessage());

        TaggedSource<Integer, DriftingSplit> untagged = new TaggedSource<>(new Drifting(true), "plain", null);
        SourceReader<Tagged<Integer>, TaggedSplit<DriftingSplit>> plain = untagged.createReader(CONTEXT);
        plain.addSplits(untagged.createSplits(1));
        e = assertThrows(IllegalStateException.class, () -> plain.pollNext(out));
        assertTrue(e.getMessage().contains("source 'plain'") && e.getMessage().contains("SourceOutput.forSplit"), e.getMessage());
    }

    @Test
    void taggedRecordsRoundTripThroughTheirSerializer() throws Exception {
        TypeSerializer<Tagged<String>> type = Tagged.type(Types.STRING);
        Tagged<String> record = new Tagged<>("numbers/seq-0", 123_456_789_012L, "héllo");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        type.serialize(record, new DataOutputStream(bytes));
        assertEquals(record, type.deserialize(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertEquals("Tagged<String>", type.typeName());
        assertEquals(type, Tagged.type(Types.STRING));
        assertEquals(type, javaCopy(type));
    }
}
