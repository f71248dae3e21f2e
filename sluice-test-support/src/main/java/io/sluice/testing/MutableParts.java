package io.sluice.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The objects reachable from a value that could be changed in place: arrays, collections and maps that are not
 * unmodifiable, and objects with a field that is not final. Each is found by identity, with the path that reached it
 * ({@code value.items[2]}). The oracle of the serializer contract's copy and immutability rules: a deep copy shares no
 * such object with its original, and a value of an immutable type has none.
 *
 * <p>Known immutable leaves: strings, boxes, enums, {@code BigInteger}/{@code BigDecimal}, {@code java.time} values.
 * Records and {@code Optional}s are walked through; other classes through their fields. A JDK class it does not know
 * counts as mutable, and is not walked: a false "mutable" makes a test fail visibly, never pass wrongly.
 */
final class MutableParts {
    private static final Set<Class<?>> IMMUTABLE_LEAVES = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, Class.class,
            java.math.BigInteger.class, java.math.BigDecimal.class, java.util.UUID.class);

    private final IdentityHashMap<Object, String> mutable = new IdentityHashMap<>();
    private final Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private MutableParts() {}

    /** Each mutable object reachable from {@code value}, with the path that first reached it. */
    static IdentityHashMap<Object, String> of(Object value) {
        MutableParts parts = new MutableParts();
        parts.walk(value, "value");
        return parts.mutable;
    }

    /** The paths (in {@code copy}) of mutable objects that {@code copy} shares with {@code original}. */
    static List<String> shared(Object original, Object copy) {
        IdentityHashMap<Object, String> inOriginal = of(original);
        List<String> shared = new ArrayList<>();
        of(copy).forEach((object, path) -> {
            if (inOriginal.containsKey(object)) {
                shared.add(path);
            }
        });
        return shared;
    }

    private void walk(Object value, String path) {
        if (value == null || !seen.add(value)) {
            return;
        }
        Class<?> type = value.getClass();
        if (IMMUTABLE_LEAVES.contains(type) || value instanceof Enum<?> || type.getName().startsWith("java.time.")) {
            return;
        }
        if (type.isArray()) {
            mutable.put(value, path);
            if (!type.getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(value); i++) {
                    walk(Array.get(value, i), path + "[" + i + "]");
                }
            }
        } else if (value instanceof Optional<?> optional) {
            optional.ifPresent(v -> walk(v, path + ".get()"));
        } else if (value instanceof Record) {
            walkRecord(value, path);
        } else if (value instanceof Collection<?> collection) {
            markUnlessUnmodifiable(value, path);
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]");
            }
        } else if (value instanceof Map<?, ?> map) {
            markUnlessUnmodifiable(value, path);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getKey(), path + ".key(" + e.getKey() + ")");
                walk(e.getValue(), path + "{" + e.getKey() + "}");
            }
        } else if (type.getName().startsWith("java.") || type.getName().startsWith("javax.")) {
            mutable.put(value, path); // not known to be immutable, and its fields are not ours to open
        } else {
            walkFields(value, path);
        }
    }

    private void markUnlessUnmodifiable(Object container, String path) {
        String name = container.getClass().getName();
        if (!name.startsWith("java.util.ImmutableCollections") && !name.startsWith("java.util.Collections$Unmodifiable")) {
            mutable.put(container, path);
        }
    }

    private void walkRecord(Object record, String path) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                component.getAccessor().setAccessible(true);
                walk(component.getAccessor().invoke(record), path + "." + component.getName());
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new AssertionError("cannot read " + path + "." + component.getName() + ": " + e, e);
            }
        }
    }

    private void walkFields(Object object, String path) {
        for (Class<?> c = object.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                if (!Modifier.isFinal(field.getModifiers())) {
                    mutable.put(object, path);
                }
                try {
                    field.setAccessible(true);
                    walk(field.get(object), path + "." + field.getName());
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new AssertionError("cannot read " + path + "." + field.getName() + ": " + e, e);
                }
            }
        }
    }
}
