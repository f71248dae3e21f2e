package io.sluice.state.rocksdb;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The native objects a RocksDB backend owns, in two generations closed in reverse order of creation: the open
 * database with its column family handles (replaced when a restore opens snapshot files), then everything that
 * outlives a database (options, block cache, write buffer manager, filters). A failure to close one object does not
 * stop the others from closing; the first is thrown with the rest suppressed. Task thread, or under the backend's
 * lifecycle lock when closing.
 */
final class NativeHandles {
    /** Options, cache and the like, in creation order. */
    private final Deque<AutoCloseable> lasting = new ArrayDeque<>();
    /** The open database and its column family handles, in creation order; closed before {@link #lasting}. */
    private final Deque<AutoCloseable> database = new ArrayDeque<>();

    /** Keeps {@code resource} until {@link #closeAll()}. */
    <T extends AutoCloseable> T own(T resource) {
        lasting.push(resource);
        return resource;
    }

    /** Keeps the database or one of its column family handles until {@link #closeDatabase()} or {@link #closeAll()}. */
    <T extends AutoCloseable> T ownWithDatabase(T resource) {
        database.push(resource);
        return resource;
    }

    /** Closes the database and its column family handles (not the options and cache). */
    void closeDatabase() {
        close(database);
    }

    /** Closes the database generation, then everything else. */
    void closeAll() {
        try {
            close(database);
        } finally {
            close(lasting);
        }
    }

    private static void close(Deque<AutoCloseable> resources) {
        RuntimeException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot close a RocksDB resource", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
