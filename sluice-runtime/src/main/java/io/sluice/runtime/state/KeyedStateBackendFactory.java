package io.sluice.runtime.state;

import io.sluice.api.types.TypeSerializer;
import java.util.ServiceLoader;
import java.util.function.LongSupplier;

/**
 * Creates the keyed state backend a job asks for by name ({@code heap}, {@code rocksdb}, ...). Backends in other modules
 * register through {@link ServiceLoader}, so the runtime does not depend on them.
 */
public interface KeyedStateBackendFactory {

    /** The name jobs select this backend by. */
    String name();

    /**
     * A backend for one keyed operator in one subtask; it owns and frees its resources when closed.
     *
     * @param owner   the operator subtask the state belongs to, named in the backend's errors
     * @param options the job's state backend options ({@link io.sluice.api.graph.JobConfig#stateBackendOptions()});
     *                a key with this backend's prefix ({@code name() + "."}) that it does not know fails here
     */
    KeyedStateBackend create(StateOwner owner, KeyGroupRange range, int maxParallelism, TypeSerializer<?> keySerializer,
            LongSupplier clock, java.util.Map<String, String> options) throws Exception;

    /**
     * The native memory this backend's instances in this JVM use now, in bytes by part (RocksDB: {@code blockCache},
     * {@code memtables}), for monitoring; empty when it holds none outside the heap. Thread-safe, cheap, any thread.
     */
    default java.util.Map<String, Long> nativeMemory() {
        return java.util.Map.of();
    }

    /** The factory named {@code name}; a clear error naming the module to add when there is none. */
    static KeyedStateBackendFactory named(String name) {
        for (KeyedStateBackendFactory f : ServiceLoader.load(KeyedStateBackendFactory.class)) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no state backend named '" + name + "' on the classpath"
                + ("rocksdb".equals(name) ? ": add the dependency io.sluice:sluice-state-rocksdb" : ""));
    }
}
