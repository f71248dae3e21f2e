package io.sluice.runtime.state;

import java.util.Collection;

/**
 * The runtime's view of a keyed state handle: besides the current key (set on the backend) it has a current
 * namespace, so operators such as windows keep one state per key and window. User functions see only the API's
 * state interfaces, always in the {@link VoidNamespace}.
 */
public interface InternalKeyedState {

    /** Scopes the handle to {@code namespace} (a window, or {@link VoidNamespace#INSTANCE}). */
    void setCurrentNamespace(Object namespace);

    /**
     * Merges the current key's state in {@code sources} into {@code target} and clears the sources (merging
     * windows). Value state cannot be merged.
     */
    void mergeNamespaces(Object target, Collection<?> sources) throws Exception;
}
