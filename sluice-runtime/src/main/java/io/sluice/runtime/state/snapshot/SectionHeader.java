package io.sluice.runtime.state.snapshot;

import io.sluice.api.types.SerializerIdentity;
import java.util.List;

/** What a section of a canonical block holds: a state's entries or a timer service's timers. Immutable. */
public sealed interface SectionHeader permits StateHeader, TimersHeader {

    /** The state's or the timer service's name. */
    String name();

    /** Whether entries carry a namespace after the key (window state and timers). */
    boolean namespaced();

    /**
     * The identities of the serializers that wrote the entries, in the format's order (keys, namespaces if
     * namespaced, then the values' serializers); empty when not known (restored from a snapshot older than the
     * canonical format, and not registered since).
     */
    List<SerializerIdentity> serializers();

    /** What each of {@link #serializers()} serializes ({@code "keys"}, {@code "namespaces"}, {@code "values"}, ...). */
    List<String> roles();

    /** {@code state 'count'} or {@code timer service 'user-timers'}, for messages. */
    String describe();

    default boolean serializersKnown() {
        return !serializers().isEmpty();
    }

    /** The roles a header's serializers must match, or a clear error for a list that does not fit them. */
    static List<SerializerIdentity> checkCount(List<SerializerIdentity> serializers, List<String> roles, String what) {
        if (!serializers.isEmpty() && serializers.size() != roles.size()) {
            throw new IllegalArgumentException(what + " has " + serializers.size() + " serializers, expected " + roles.size()
                    + " " + roles);
        }
        return List.copyOf(serializers);
    }
}
