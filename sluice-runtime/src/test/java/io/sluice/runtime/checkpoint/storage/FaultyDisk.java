package io.sluice.runtime.checkpoint.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link FileChannelOpener} over the real file system that can run out of space, fail fsync or creation of
 * chosen files, and records what it was asked to do ({@code create NAME}, {@code force NAME}), so tests can check
 * the order of durable steps.
 */
final class FaultyDisk implements FileChannelOpener {
    static final String NO_SPACE = "No space left on device";

    private final AtomicLong spaceLeft = new AtomicLong(Long.MAX_VALUE);
    private volatile Predicate<Path> failForce = p -> false;
    private volatile Predicate<Path> failCreate = p -> false;
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /** From now on only {@code bytes} more bytes fit; then writes fail with "No space left on device". */
    void spaceLeft(long bytes) {
        spaceLeft.set(bytes);
    }

    void unlimitedSpace() {
        spaceLeft.set(Long.MAX_VALUE);
    }

    void failForce(Predicate<Path> which) {
        failForce = which;
    }

    void failCreate(Predicate<Path> which) {
        failCreate = which;
    }

    List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    @Override
    public FileChannel createNew(Path path) throws IOException {
        if (failCreate.test(path)) {
            throw new IOException("Input/output error (injected)");
        }
        events.add("create " + path.getFileName());
        return new Channel(path, FileChannelOpener.CREATE_NEW.createNew(path));
    }

    private final class Channel extends FileChannel {
        private final Path path;
        private final FileChannel delegate;

        Channel(Path path, FileChannel delegate) {
            this.path = path;
            this.delegate = delegate;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            long allowed = spaceLeft.get();
            if (allowed <= 0) {
                throw new IOException(NO_SPACE);
            }
            if (src.remaining() <= allowed) {
                int n = delegate.write(src);
                spaceLeft.addAndGet(-n);
                return n;
            }
            ByteBuffer part = src.slice(src.position(), (int) allowed);
            int n = delegate.write(part);
            src.position(src.position() + n);
            spaceLeft.addAndGet(-n);
            return n;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failForce.test(path)) {
                throw new IOException("Input/output error (injected fsync failure)");
            }
            events.add("force " + path.getFileName() + (path.getFileName().toString().equals("_metadata.tmp")
                    && Files.exists(path.resolveSibling("_metadata")) ? " (final metadata already exists!)" : ""));
            delegate.force(metaData);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new UnsupportedOperationException("not used by checkpoint storage");
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            throw new UnsupportedOperationException("not used by checkpoint storage");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("not used by checkpoint storage");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
