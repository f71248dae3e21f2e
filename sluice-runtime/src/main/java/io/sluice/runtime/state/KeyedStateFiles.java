package io.sluice.runtime.state;

import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import java.util.List;
import java.util.Objects;

/**
 * Keyed state kept as a backend's own files rather than as key-group blocks: what an incremental RocksDB snapshot
 * consists of. Only the backend named by {@code format} can restore it. Immutable.
 *
 * @param format the backend format (e.g. {@code rocksdb-incremental}); a backend rejects formats it does not read
 * @param range  the key groups the files hold (the snapshotting subtask's range)
 * @param files  each file under the name the backend gave it locally, and where it is stored
 * @param meta   the backend's description of the files (its states and their kinds), opaque to the runtime
 * @param reader how to read the files when restoring; {@code null} while the snapshot is being written
 */
public record KeyedStateFiles(String format, KeyGroupRange range, List<File> files, byte[] meta, StateFileReader reader) {

    /** One file: its local name within the backend's directory and its handle in the checkpoint. */
    public record File(String localName, StateFileHandle handle) {
        public File {
            Objects.requireNonNull(localName, "localName");
            Objects.requireNonNull(handle, "handle");
        }
    }

    public KeyedStateFiles {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(range, "range");
        files = List.copyOf(files);
        meta = meta.clone();
    }

    /** The same files, readable through {@code fileReader} (set when a checkpoint is loaded for restore). */
    public KeyedStateFiles withReader(StateFileReader fileReader) {
        return new KeyedStateFiles(format, range, files, meta, fileReader);
    }

    @Override
    public byte[] meta() {
        return meta.clone();
    }

    /** The total size of the files in bytes. */
    public long sizeBytes() {
        long n = meta.length;
        for (File f : files) {
            n += f.handle().size();
        }
        return n;
    }
}
