package io.sluice.runtime.state.heap;

/** A value with the processing time at which it expires; what TTL-enabled states store. */
record TtlValue(Object value, long expiresAt) {
    boolean expired(long now) {
        return now >= expiresAt;
    }
}
