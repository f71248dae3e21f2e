package io.sluice.api.types;

import java.util.Objects;

/**
 * Names the binary format of a {@link TypeSerializer}, so that state is read back only by a serializer that reads its
 * bytes as they were meant. Keyed state records the identities of its serializers (keys, namespaces, values) in every
 * snapshot; a restore compares them with the identities of the serializers the job declares now.
 *
 * <p><b>The rule:</b> two identities match when their {@code id}s and {@code version}s are both equal. A state whose
 * recorded identity does not match the one declared now is not restored: the restore fails naming the state, the
 * operator and both identities. There is no conversion between formats (yet): keep the old type, or give the state a
 * new name and start it empty.
 *
 * <p>Built-in serializers have ids that do not depend on their Java classes ({@code long}, {@code string},
 * {@code list<long>}, {@code record com.example.Bid(long, long)}, ...); a record's id holds its type (with type
 * arguments) and its components' ids in order, so changing a component's type changes it, renaming one does not.
 * Immutable.
 *
 * @param id      a stable name of the format; never blank
 * @param version the version of the format under that name, from 1: a serializer whose bytes change meaning keeps its
 *                id and counts up
 */
public record SerializerIdentity(String id, int version) {
    public SerializerIdentity {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a serializer identity needs a name");
        }
        if (version < 1) {
            throw new IllegalArgumentException("serializer identity versions start at 1, was " + version + " for " + id);
        }
    }

    /** Version 1 of the format {@code id}. */
    public static SerializerIdentity of(String id) {
        return new SerializerIdentity(id, 1);
    }

    /** {@code id} for version 1, else {@code id@version}: compact, as it appears inside composite ids. */
    @Override
    public String toString() {
        return version == 1 ? id : id + "@" + version;
    }
}
