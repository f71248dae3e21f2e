package io.sluice.testing;

import io.sluice.api.source.Source;
import io.sluice.api.source.SourceReader;
import io.sluice.api.source.SourceReaderContext;
import io.sluice.api.source.SourceSplit;
import io.sluice.api.types.TypeSerializer;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's source whose records come out {@link Tagged} with their split and offset. Splits are the user's, wrapped
 * ({@link TaggedSplit}); their ids are qualified with the source's name, so that the tags of two verified sources of a
 * job never collide. Part of the job graph, like any source.
 */
final class TaggedSource<T, S extends SourceSplit> implements Source<Tagged<T>, TaggedSplit<S>> {

    private final Source<T, S> source;
    private final String name;
    /** Where the reader announces that it runs on its task thread, for the witness's chaining check. */
    private final String chainKey;

    TaggedSource(Source<T, S> source, String name, String chainKey) {
        this.source = source;
        this.name = name;
        this.chainKey = chainKey;
    }

    @Override
    public TypeSerializer<Tagged<T>> outputType() {
        return Tagged.type(source.outputType());
    }

    @Override
    public boolean isBounded() {
        return source.isBounded();
    }

    /**
     * The wrapped source's splits, tagged. They are dealt by the default enumerator (all at registration), not by the
     * wrapped source's own: a source that hands out splits on request reads them all the same, only without its
     * balancing.
     */
    @Override
    public List<TaggedSplit<S>> createSplits(int parallelism) throws Exception {
        List<TaggedSplit<S>> splits = new ArrayList<>();
        for (S split : source.createSplits(parallelism)) {
            splits.add(new TaggedSplit<>(name + "/" + split.splitId(), 0, split));
        }
        return splits;
    }

    @Override
    public SourceReader<Tagged<T>, TaggedSplit<S>> createReader(SourceReaderContext context) throws Exception {
        return new TaggedReader<>(source.createReader(context), name, chainKey);
    }
}
