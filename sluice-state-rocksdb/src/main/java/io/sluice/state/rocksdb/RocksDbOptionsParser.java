package io.sluice.state.rocksdb;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.rocksdb.CompactionStyle;

/**
 * Reads the {@code rocksdb.} keys of a job's state backend options into {@link RocksDbOptions}. Every failure is an
 * {@link IllegalArgumentException} naming the key (and the value, or the valid keys for an unknown one). Stateless.
 */
final class RocksDbOptionsParser {
    private static final String PREFIX = "rocksdb.";

    private RocksDbOptionsParser() {}

    static RocksDbOptions parse(Map<String, String> options, RocksDbOptions defaults) {
        RocksDbOptions result = defaults;
        for (Map.Entry<String, String> e : options.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX)) {
                continue; // another backend's option
            }
            if (!RocksDbOptions.KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown state backend option '" + key
                        + "'; the RocksDB state backend knows " + String.join(", ", RocksDbOptions.KEYS));
            }
            String value = e.getValue().trim();
            try {
                result = apply(result, key, value);
            } catch (IllegalArgumentException failure) {
                throw new IllegalArgumentException("state backend option " + key + "='" + e.getValue() + "' is invalid: "
                        + failure.getMessage(), failure);
            }
        }
        return result;
    }

    private static RocksDbOptions apply(RocksDbOptions o, String key, String value) {
        return switch (key) {
            case RocksDbOptions.MEMORY -> o.withMemoryBudget(ByteSizes.parse(value));
            case RocksDbOptions.WRITE_BUFFER_RATIO -> o.withWriteBufferRatio(number(value));
            case RocksDbOptions.HIGH_PRIORITY_POOL_RATIO -> o.withHighPriorityPoolRatio(number(value));
            case RocksDbOptions.BLOCK_SIZE -> o.withBlockSize(ByteSizes.parse(value));
            case RocksDbOptions.BLOOM_BITS_PER_KEY -> o.withBloomBitsPerKey(number(value));
            case RocksDbOptions.COMPACTION_STYLE -> o.withCompactionStyle(compactionStyle(value));
            case RocksDbOptions.OPTIONS_CUSTOMIZER -> o.withCustomizer(customizer(value));
            case RocksDbOptions.INCREMENTAL -> o.withIncremental(bool(value));
            case RocksDbOptions.LOCAL_DIR -> o.withLocalDirectory(path(value));
            case RocksDbOptions.WRITE_CACHE -> o.withWriteCache(ByteSizes.parse(value));
            case RocksDbOptions.MEMORY_SHARED_BY -> o.withSharedMemory(value);
            default -> throw new AssertionError("a key in KEYS without a parser: " + key);
        };
    }

    private static double number(String value) {
        try {
            double d = Double.parseDouble(value);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static CompactionStyle compactionStyle(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "level" -> CompactionStyle.LEVEL;
            case "universal" -> CompactionStyle.UNIVERSAL;
            case "fifo" -> CompactionStyle.FIFO;
            default -> throw new IllegalArgumentException("expected level, universal or fifo");
        };
    }

    private static Path path(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("expected a directory");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a path: " + e.getReason());
        }
    }

    /** An instance of the named class, loaded by the thread's context class loader (job jars), else this module's. */
    private static RocksDbOptionsCustomizer customizer(String className) {
        Class<?> type = load(className);
        if (!RocksDbOptionsCustomizer.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement " + RocksDbOptionsCustomizer.class.getName());
        }
        try {
            return (RocksDbOptionsCustomizer) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException(className + " needs a public no-argument constructor");
        } catch (InstantiationException e) {
            throw new IllegalArgumentException(className + " cannot be instantiated (abstract?)");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the constructor of " + className + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static Class<?> load(String className) {
        Function<ClassLoader, Class<?>> tryLoad = loader -> {
            try {
                return loader == null ? null : Class.forName(className, true, loader);
            } catch (ClassNotFoundException e) {
                return null;
            }
        };
        Class<?> type = tryLoad.apply(Thread.currentThread().getContextClassLoader());
        if (type == null) {
            type = tryLoad.apply(RocksDbOptionsParser.class.getClassLoader());
        }
        if (type == null) {
            throw new IllegalArgumentException("class not found");
        }
        return type;
    }
}
