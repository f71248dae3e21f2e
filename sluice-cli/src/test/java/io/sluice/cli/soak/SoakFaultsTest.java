package io.sluice.cli.soak;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A planned fault fires once, when due, across child JVMs (through the round's fired-faults log). */
class SoakFaultsTest {
    @TempDir
    Path tmp;

    @AfterEach
    void disarm() throws Exception {
        SoakFaults.arm(List.of(), tmp.resolve("none"));
    }

    @Test
    void aFaultFiresOnceWhenDueAndFaultsAnEarlierChildFiredStayQuiet() throws Exception {
        Path log = tmp.resolve("fired-faults");
        // An earlier child fired fault 1; its log line for fault 2 was torn by a kill.
        Files.writeString(log, "1 restore-open\n2");
        assertEquals(List.of(1), SoakFaults.firedIds(log));
        SoakFaults.arm(List.of(new Fault(0, FaultKind.MAP_THROW, 10), new Fault(1, FaultKind.RESTORE_OPEN, 0),
                new Fault(2, FaultKind.COMMIT_AFTER, 5)), log);

        assertDoesNotThrow(() -> SoakFaults.maybeFail(FaultKind.RESTORE_OPEN), "fired by an earlier child");
        SoakFaults.progress(9);
        assertDoesNotThrow(() -> SoakFaults.maybeFail(FaultKind.MAP_THROW), "not read far enough yet");
        SoakFaults.progress(10);
        InjectedFault fault = assertThrows(InjectedFault.class, () -> SoakFaults.maybeFail(FaultKind.MAP_THROW));
        assertTrue(fault.getMessage().startsWith(InjectedFault.MARK + " #0 (map-throw at seq 10)"), fault.getMessage());
        assertDoesNotThrow(() -> SoakFaults.maybeFail(FaultKind.MAP_THROW), "fires once");
        assertThrows(InjectedFault.class, () -> SoakFaults.maybeFail(FaultKind.COMMIT_AFTER), "a torn line fires again");
        assertEquals(List.of(1, 0, 2), SoakFaults.firedIds(log));
    }
}
