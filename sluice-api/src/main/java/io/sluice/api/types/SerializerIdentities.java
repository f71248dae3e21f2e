package io.sluice.api.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Builds the identities of the built-in composite serializers from their parts' identities. A record may contain
 * itself (through a list, say): while a record's identity is being built on this thread, a nested occurrence of the
 * same record is named by its type alone, so the id stays finite and still describes the whole structure once.
 */
final class SerializerIdentities {
    /** The records whose identities are being built on this thread, innermost last. */
    private static final ThreadLocal<Set<RecordSerializer<?>>> IN_PROGRESS =
            ThreadLocal.withInitial(() -> Collections.newSetFromMap(new IdentityHashMap<>()));

    private SerializerIdentities() {}

    /** {@code kind<part, part, ...>}. */
    static SerializerIdentity composite(String kind, TypeSerializer<?>... parts) {
        List<String> ids = new ArrayList<>(parts.length);
        for (TypeSerializer<?> part : parts) {
            ids.add(part.identity().toString());
        }
        return SerializerIdentity.of(kind + "<" + String.join(", ", ids) + ">");
    }

    /** {@code record <type>(<component id>, ...)}; a record nested in itself is {@code record <type>}. */
    static SerializerIdentity record(RecordSerializer<?> record, String typeKey, TypeSerializer<?>[] components) {
        Set<RecordSerializer<?>> inProgress = IN_PROGRESS.get();
        if (!inProgress.add(record)) {
            return SerializerIdentity.of("record " + typeKey);
        }
        try {
            List<String> ids = new ArrayList<>(components.length);
            for (TypeSerializer<?> component : components) {
                ids.add(component.identity().toString());
            }
            return SerializerIdentity.of("record " + typeKey + "(" + String.join(", ", ids) + ")");
        } finally {
            inProgress.remove(record);
        }
    }
}
