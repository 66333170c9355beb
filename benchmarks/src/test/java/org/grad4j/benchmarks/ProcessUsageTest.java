package org.grad4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** /proc's fields are found by position after the command name, whatever that name holds. */
class ProcessUsageTest {
    // fields 1..17 of a real /proc/self/stat line, with minflt (10) = 5000, utime (14) = 321, stime (15) = 45
    private static final String TAIL = " S 1 123 123 0 -1 4194560 5000 0 2 0 321 45 0 0 20 0 27 0 4242 9000000 30000";

    @Test
    void readsFaultsAndCpuTimesAfterTheCommandName() {
        ProcessUsage u = ProcessUsage.parse("4242 (java)" + TAIL, "rchar: 1\nsyscr: 777\nsyscw: 3\n");
        assertEquals(new ProcessUsage(321, 45, 5000, 777), u);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcessUsage u = ProcessUsage.parse("4242 (my (odd) name)" + TAIL, null);
        assertEquals(new ProcessUsage(321, 45, 5000, -1), u, "no /proc/self/io: the read count is -1");
    }

    @Test
    void aTruncatedLineIsRefusedWithItsText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcessUsage.parse("4242 (java) S 1 2", null));
        assertTrue(e.getMessage().contains("4242 (java) S 1 2"), e.getMessage());
    }

    @Test
    void differencesAndSharesOfSystemTime() {
        ProcessUsage a = new ProcessUsage(100, 10, 50, 20);
        ProcessUsage b = new ProcessUsage(400, 110, 80, 1020);
        ProcessUsage d = b.minus(a);
        assertEquals(new ProcessUsage(300, 100, 30, 1000), d);
        assertEquals(25.0, d.systemPercent(), 1e-12);
        assertEquals(3.0, d.userSeconds(), 1e-12);
        assertEquals(new ProcessUsage(400, 110, 80, -1), b.plus(new ProcessUsage(0, 0, 0, -1)), "an unknown count stays unknown");
    }

    @Test
    void theCpuLineGivesPerStepCounts() {
        assertEquals("user 3.00 s sys 1.00 s (sys 25 %), reads 2.5/step, minor faults 0.1/step",
                Report.cpu(new ProcessUsage(300, 100, 40, 1000), 400));
    }
}
