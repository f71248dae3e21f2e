package io.sluice.runtime.state;

/** The namespace of plain keyed state (state not scoped to a window). */
public enum VoidNamespace {
    INSTANCE
}
