package io.sluice.cluster.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/**
 * Messages made only of int64 fields numbered 1, 2, ... in a fixed order ({@code SubtaskCounters},
 * {@code WorkerGauges} of {@code cluster.proto}): written in order, read back with a default for each field absent,
 * other fields skipped. Stateless.
 */
final class LongFields {
    private LongFields() {}

    /** Writes {@code values} as int64 fields 1, 2, ... */
    static void write(CodedOutputStream out, long... values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            out.writeInt64(i + 1, values[i]);
        }
    }

    /** Reads int64 fields 1 to {@code defaults.length}, each {@code defaults[i - 1]} when absent; skips others. */
    static long[] read(CodedInputStream in, long... defaults) throws IOException {
        long[] v = defaults.clone();
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = tag >>> 3;
            if (field >= 1 && field <= v.length) {
                v[field - 1] = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        return v;
    }
}
