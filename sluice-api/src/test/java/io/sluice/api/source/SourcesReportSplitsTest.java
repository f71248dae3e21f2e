package io.sluice.api.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.api.types.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in sources emit each split's records through that split's output and release it when done. */
class SourcesReportSplitsTest {

    /** Records per split, direct records, and releases, in order. */
    static final class SplitRecorder<T> implements SourceOutput<T> {
        final Map<String, List<T>> bySplit = new LinkedHashMap<>();
        final List<T> direct = new ArrayList<>();
        final List<String> released = new ArrayList<>();

        @Override
        public void collect(T record) {
            direct.add(record);
        }

        @Override
        public void collect(T record, long timestamp) {
            direct.add(record);
        }

        @Override
        public SourceOutput<T> forSplit(String splitId) {
            if (released.contains(splitId)) {
                throw new AssertionError(splitId + " used after its release");
            }
            List<T> records = bySplit.computeIfAbsent(splitId, k -> new ArrayList<>());
            return new SourceOutput<>() {
                @Override
                public void collect(T record) {
                    records.add(record);
                }

                @Override
                public void collect(T record, long timestamp) {
                    records.add(record);
                }
            };
        }

        @Override
        public void releaseSplit(String splitId) {
            released.add(splitId);
        }
    }

    private static final SourceReaderContext ONE = new SourceReaderContext() {
        @Override
        public int subtaskIndex() {
            return 0;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public String operatorName() {
            return "Test";
        }
    };

    private static <T, S extends SourceSplit> SplitRecorder<T> readAll(Source<T, S> source, int splits) throws Exception {
        SplitRecorder<T> out = new SplitRecorder<>();
        try (SourceReader<T, S> reader = source.createReader(ONE)) {
            reader.addSplits(source.createSplits(splits));
            while (reader.pollNext(out) != InputStatus.END_OF_INPUT) {
                // read all
            }
        }
        return out;
    }

    @Test
    void aSequenceReportsItsSplits() throws Exception {
        SplitRecorder<Long> out = readAll(new SequenceSource(1, 5_000, 0), 3);
        assertEquals(List.of(), out.direct);
        assertEquals(List.of("seq-0", "seq-1", "seq-2"), out.released);
        List<Long> all = new ArrayList<>();
        out.bySplit.values().forEach(all::addAll);
        assertEquals(5_000, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1L, all.get(i));
        }
        assertEquals(1L, out.bySplit.get("seq-1").getFirst() - out.bySplit.get("seq-0").getLast(), "contiguous ranges");
    }

    @Test
    void aCollectionReportsItsSplits() throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            values.add("v" + i);
        }
        SplitRecorder<String> out = readAll(new CollectionSource<>(values, Types.STRING), 2);
        assertEquals(List.of(), out.direct);
        assertEquals(List.of("elements-0", "elements-1"), out.released);
        assertEquals(values.subList(0, 1_500), out.bySplit.get("elements-0"));
        assertEquals(values.subList(1_500, 3_000), out.bySplit.get("elements-1"));
    }
}
