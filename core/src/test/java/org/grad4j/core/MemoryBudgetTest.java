package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Arrays are checked before they are allocated: alone against the headroom, or summed over a job. */
class MemoryBudgetTest {
    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "missing '" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void byteCountSaturatesInsteadOfWrappingAround() {
        assertEquals(24, Shapes.byteCount(new long[] {2, 3}, DataType.FLOAT));
        assertEquals(8, Shapes.byteCount(new long[0], DataType.DOUBLE));
        assertEquals(0, Shapes.byteCount(new long[] {Long.MAX_VALUE, 0}, DataType.FLOAT));
        assertEquals(0, Shapes.byteCount(new long[] {0, Long.MAX_VALUE, Long.MAX_VALUE}, DataType.FLOAT));
        // 2^62 * 4 wraps to 0 and 100000^4 * 4 to a small positive number in plain long arithmetic
        assertEquals(Long.MAX_VALUE, Shapes.byteCount(new long[] {1L << 62}, DataType.FLOAT));
        assertEquals(Long.MAX_VALUE, Shapes.byteCount(new long[] {100_000, 100_000, 100_000, 100_000}, DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> Shapes.byteCount(new long[] {0, -1}, DataType.FLOAT));
    }

    @Test
    void aJobsReservationsAreSummedAgainstItsLimit() {
        try (MemoryBudget budget = MemoryBudget.open("Model.load(m.g4j)", 1000)) {
            MemoryBudget.reserve("dense (Dense)", "weight dense/kernel:0", new long[] {10, 15}, DataType.FLOAT);   // 600
            assertEquals(600, budget.reserved());

            var e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryBudget.reserve("dense_1 (Dense)", "weight dense_1/kernel:0", new long[] {5, 25}, DataType.FLOAT));

            assertMentions(e, "dense_1 (Dense): weight dense_1/kernel:0 [5, 25] FLOAT needs 500 bytes",
                    "with the 600 bytes reserved before it, Model.load(m.g4j) would need 1,100 bytes (1.1 KiB)",
                    "more than the 1,000 bytes Model.load(m.g4j) may use");
            assertEquals(600, budget.reserved(), "a refused reservation is not counted");
            MemoryBudget.reserve("dense_1 (Dense)", "weight dense_1/bias:0", new long[] {25}, DataType.FLOAT);
            assertEquals(700, budget.reserved());
        }
    }

    @Test
    void aFreedCopyIsGivenBack() {
        try (MemoryBudget budget = MemoryBudget.open("loadWeights", 1000)) {
            MemoryBudget.reserve("w.npz!a.npy", "the array", new long[] {200}, DataType.FLOAT);   // 800
            MemoryBudget.release(new long[] {200}, DataType.FLOAT);
            MemoryBudget.reserve("w.npz!b.npy", "the array", new long[] {200}, DataType.FLOAT);
            assertEquals(800, budget.reserved());
        }
    }

    @Test
    void aShapeWhoseBytesOverflowIsRefusedNotWrapped() {
        try (MemoryBudget ignored = MemoryBudget.open("job", Long.MAX_VALUE - 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> MemoryBudget.reserve("reader", "entry \"x\"",
                    new long[] {1L << 31, 1L << 31, 1L << 31}, DataType.FLOAT));
            assertMentions(e, "reader: entry \"x\" [2147483648, 2147483648, 2147483648] FLOAT needs more than");
        }
    }

    @Test
    void withoutAJobOneArrayIsCheckedAgainstTheHeadroom() {
        // 40 TB: more than any JavaCPP allowance or machine this runs on
        var e = assertThrows(IllegalArgumentException.class, () -> MemoryBudget.reserve("dense (Dense)",
                "weight dense/kernel:0", new long[] {100_000_000, 100_000}, DataType.FLOAT));
        assertMentions(e, "dense (Dense): weight dense/kernel:0 [100000000, 100000] FLOAT needs 40,000,000,000,000 bytes",
                "this process may use", "maxBytes");
        MemoryBudget.reserve("dense (Dense)", "weight dense/kernel:0", new long[] {9, 64}, DataType.FLOAT);
    }

    @Test
    void closingEndsTheJobAndRestoresAnOuterOne() {
        try (MemoryBudget outer = MemoryBudget.open("outer", 100)) {
            try (MemoryBudget inner = MemoryBudget.open("inner", 1000)) {
                MemoryBudget.reserve("a", "b", new long[] {50}, DataType.FLOAT);   // 200: fits the inner job only
                assertEquals(200, inner.reserved());
            }
            var e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryBudget.reserve("a", "b", new long[] {50}, DataType.FLOAT));
            assertMentions(e, "outer may use");
            assertEquals(0, outer.reserved());
        }
        MemoryBudget.reserve("a", "b", new long[] {50}, DataType.FLOAT);   // no job: the headroom is plenty
    }

    @Test
    void bytesAreFormattedExactlyAndReadably() {
        assertEquals("512 bytes", MemoryBudget.format(512));
        assertEquals("6,400,000,000 bytes (6.0 GiB)", MemoryBudget.format(6_400_000_000L));
        assertEquals("4,194,304 bytes (4.0 MiB)", MemoryBudget.format(4L << 20));
    }
}
