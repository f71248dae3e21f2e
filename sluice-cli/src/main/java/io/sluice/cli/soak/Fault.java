package io.sluice.cli.soak;

import java.io.Serializable;

/**
 * One planned in-process fault of a round: fires once (across restarts and child JVMs) at the first chance once the job
 * has read up to position {@code atSeq} of some split (see {@link FaultKind#armedByProgress()}; 0 for faults that
 * wait for a restore instead).
 *
 * @param id unique within its round; what the fired-faults log of the round records
 */
public record Fault(int id, FaultKind kind, long atSeq) implements Serializable {
    @Override
    public String toString() {
        return kind.label() + (kind.armedByProgress() ? " at seq " + atSeq : "");
    }
}
