package io.sluice.cli.soak;

/** The exception a planned fault throws; its message names the fault, so job logs tell injected from real failures. */
public final class InjectedFault extends RuntimeException {
    /** Starts the message of every injected fault. */
    static final String MARK = "soak: injected fault";

    InjectedFault(Fault fault) {
        super(MARK + " #" + fault.id() + " (" + fault + ")");
    }
}
