package io.sluice.cluster.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/**
 * A worker's own gauges at one moment (schema: {@code WorkerGauges} in {@code cluster.proto}), in bytes unless named
 * otherwise; -1 where not measured (no RocksDB here, no data server). Carried by every {@link
 * ControlMessages.Heartbeat}, so every registered worker reports them about once a second, whether it runs tasks or
 * not. Immutable.
 *
 * @param heapUsed        JVM heap in use
 * @param heapMax         JVM heap limit (-1: none)
 * @param nonHeapUsed     JVM non-heap memory in use
 * @param gcCount         collections so far, all collectors
 * @param gcMillis        time spent collecting so far
 * @param buffersUsed     network buffers in use (of the worker's pool)
 * @param buffersTotal    network buffers of the pool
 * @param rocksBlockCache RocksDB block cache usage of every backend in the worker (memtables charged to it included)
 * @param rocksMemtables  RocksDB memtables of every backend in the worker, as each measured them at its latest
 *                        checkpoint
 */
public record WorkerGauges(long heapUsed, long heapMax, long nonHeapUsed, long gcCount, long gcMillis,
        long buffersUsed, long buffersTotal, long rocksBlockCache, long rocksMemtables) implements ProtoMessage {
    /** No gauges measured. */
    public static final WorkerGauges NONE = new WorkerGauges(-1, -1, -1, -1, -1, -1, -1, -1, -1);

    @Override
    public void writeTo(CodedOutputStream out) throws IOException {
        LongFields.write(out, heapUsed, heapMax, nonHeapUsed, gcCount, gcMillis, buffersUsed, buffersTotal,
                rocksBlockCache, rocksMemtables);
    }

    public static WorkerGauges read(CodedInputStream in) throws IOException {
        long[] v = LongFields.read(in, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        return new WorkerGauges(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }
}
