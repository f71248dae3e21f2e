package io.sluice.api.source;

import io.sluice.api.types.TypeSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Emits a fixed collection, in order within each split. The elements are kept serialized with the stream's
 * serializer, so the job graph stays plain data whatever the element class; each subtask reads a contiguous
 * range of them. A split's position is the index of the next element. Records carry no timestamp (give a watermark
 * strategy a timestamp assigner); each split emits through its own {@link SourceOutput#forSplit split output}.
 */
public final class CollectionSource<T> implements Source<T, CollectionSource.Split> {

    /** Elements {@code next..end-1} still to emit. */
    public record Split(String splitId, int next, int end) implements SourceSplit {}

    private final TypeSerializer<T> type;
    private final byte[][] elements;

    public CollectionSource(Collection<? extends T> values, TypeSerializer<T> type) {
        this.type = type;
        this.elements = new byte[values.size()][];
        int i = 0;
        for (T value : values) {
            if (value == null && !type.acceptsNull()) {
                throw new IllegalArgumentException("element " + i + " is null, which type " + type.typeName()
                        + " does not accept; use Types.nullable(...) as the type");
            }
            elements[i++] = encode(value);
        }
    }

    private byte[] encode(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            type.serialize(value, new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TypeSerializer<T> outputType() {
        return type;
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<Split> createSplits(int parallelism) {
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            int start = (int) ((long) elements.length * i / parallelism);
            int end = (int) ((long) elements.length * (i + 1) / parallelism);
            if (end > start) {
                splits.add(new Split("elements-" + i, start, end));
            }
        }
        return splits;
    }

    @Override
    public SourceReader<T, Split> createReader(SourceReaderContext context) {
        return new SourceReader<>() {
            private final List<Split> splits = new ArrayList<>();

            @Override
            public void addSplits(List<Split> added) {
                splits.addAll(added);
            }

            @Override
            public InputStatus pollNext(SourceOutput<T> output) throws IOException {
                if (splits.isEmpty()) {
                    return InputStatus.END_OF_INPUT;
                }
                Split split = splits.removeFirst();
                SourceOutput<T> splitOutput = output.forSplit(split.splitId());
                int stop = Math.min(split.end(), split.next() + 1024);
                for (int i = split.next(); i < stop; i++) {
                    splitOutput.collect(type.deserialize(new DataInputStream(new ByteArrayInputStream(elements[i]))));
                }
                if (stop < split.end()) {
                    splits.addFirst(new Split(split.splitId(), stop, split.end()));
                } else {
                    output.releaseSplit(split.splitId());
                }
                return splits.isEmpty() ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
            }

            @Override
            public List<Split> snapshotSplits() {
                return List.copyOf(splits);
            }
        };
    }
}
