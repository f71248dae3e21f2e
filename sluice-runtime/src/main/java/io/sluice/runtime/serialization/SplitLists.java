package io.sluice.runtime.serialization;

import io.sluice.api.source.SourceSplit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint form of a list of source splits: Java serialization of an {@link ArrayList}, written and read by the
 * runtime only (checkpoint files, never network bytes), the classes resolved through the source's class loader.
 */
public final class SplitLists {
    private SplitLists() {}

    public static byte[] write(List<? extends SourceSplit> splits) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(splits));
        }
        return bytes.toByteArray();
    }

    /** The splits in {@code bytes}; a file that holds anything else fails naming what it holds. */
    public static List<SourceSplit> read(byte[] bytes, ClassLoader loader) throws IOException {
        Object read;
        try {
            read = UserClassObjectInput.read(bytes, loader);
        } catch (ClassNotFoundException e) {
            throw new IOException("a split class is missing: " + e.getMessage(), e);
        }
        if (!(read instanceof List<?> list)) {
            throw new IOException("expected a list of splits, found " + read.getClass().getName());
        }
        List<SourceSplit> splits = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof SourceSplit split)) {
                throw new IOException("expected a source split, found " + (o == null ? "an empty entry" : o.getClass().getName()));
            }
            splits.add(split);
        }
        return splits;
    }
}
