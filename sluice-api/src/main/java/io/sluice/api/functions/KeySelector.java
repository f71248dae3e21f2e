package io.sluice.api.functions;

import java.io.Serializable;

/**
 * Extracts the key of a record. Must be deterministic: the same record always gives an equal key with an
 * equal {@code hashCode()}, in every JVM (so enums' identity hash codes are not used; see the runtime's key
 * groups). Called on the task thread, possibly more than once per record.
 */
@FunctionalInterface
public interface KeySelector<T, K> extends Serializable {
    K getKey(T value) throws Exception;
}
