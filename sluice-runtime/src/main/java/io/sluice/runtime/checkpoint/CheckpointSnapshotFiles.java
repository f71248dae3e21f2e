package io.sluice.runtime.checkpoint;

import io.sluice.runtime.checkpoint.storage.CheckpointWriter;
import io.sluice.runtime.checkpoint.storage.ForwardingStateFileOutputStream;
import io.sluice.runtime.checkpoint.storage.StateFileHandle;
import io.sluice.runtime.checkpoint.storage.StateFileOutputStream;
import io.sluice.runtime.state.SnapshotFileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A keyed snapshot's files written into a checkpoint through its {@link CheckpointWriter}, remembering each one so
 * the task acknowledges them with its state files. One per task and checkpoint; used by the thread writing the
 * task's asynchronous part.
 */
public final class CheckpointSnapshotFiles implements SnapshotFileWriter {
    private final CheckpointWriter writer;
    private final List<StateFileHandle> written = new ArrayList<>();

    public CheckpointSnapshotFiles(CheckpointWriter writer) {
        this.writer = writer;
    }

    @Override
    public long checkpointId() {
        return writer.checkpointId();
    }

    @Override
    public StateFileHandle writeShared(String name, Path source) throws IOException {
        try (StateFileOutputStream out = writer.createSharedFile(name)) {
            return record(copy(source, out));
        }
    }

    @Override
    public StateFileHandle referenceShared(StateFileHandle file) throws IOException {
        return record(writer.referenceSharedFile(file));
    }

    @Override
    public StateFileHandle writePrivate(String name, Path source) throws IOException {
        try (StateFileOutputStream out = writer.createFile(name)) {
            return record(copy(source, out));
        }
    }

    /** Streams straight into the checkpoint; the file is recorded once its handle is taken. */
    @Override
    public StateFileOutputStream createPrivate(String name) throws IOException {
        StateFileOutputStream file = writer.createFile(name);
        return new ForwardingStateFileOutputStream(file) {
            @Override
            public StateFileHandle closeAndGetHandle() throws IOException {
                return record(file.closeAndGetHandle());
            }

            @Override
            public void close() {
                file.close();
            }
        };
    }

    /** Every file written or referenced so far. */
    public List<StateFileHandle> files() {
        return List.copyOf(written);
    }

    private static StateFileHandle copy(Path source, StateFileOutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(source)) {
            in.transferTo(out);
        }
        return out.closeAndGetHandle();
    }

    private StateFileHandle record(StateFileHandle handle) {
        written.add(handle);
        return handle;
    }
}
