package org.grad4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole numbers from a config (a file, perhaps a crafted one) are exact or refused, never wrapped or rounded. */
class ConfigReaderTest {
    private static ConfigReader reader(Object value) {
        return new ConfigReader("Dense.fromConfig", Map.of("units", value));
    }

    private static void assertRefused(Object value, String expected, java.util.function.Consumer<ConfigReader> read) {
        var e = assertThrows(IllegalArgumentException.class, () -> read.accept(reader(value)));
        assertTrue(e.getMessage().startsWith("Dense.fromConfig: config key \"units\" must be " + expected), e.getMessage());
    }

    @Test
    void wholeNumbersAreExact() {
        assertEquals((1L << 53) + 1, reader((1L << 53) + 1).whole("units"), "a long beyond 2^53 is not rounded");
        assertEquals(64, reader(64.0).whole("units"));
        assertEquals(Long.MIN_VALUE, reader(-0x1p63).whole("units"));
        assertEquals(7, reader(BigInteger.valueOf(7)).whole("units"));
        assertArrayEquals(new long[] {1, 2}, new ConfigReader("x", Map.of("b", List.of(1, 2.0))).wholes("b"));
    }

    @Test
    void outOfRangeOrFractionalNumbersAreRefused() {
        assertRefused(1e300, "a whole number in the long range", r -> r.whole("units"));
        assertRefused(0x1p63, "a whole number in the long range", r -> r.whole("units"));
        assertRefused(BigInteger.TEN.pow(30), "a whole number in the long range", r -> r.whole("units"));
        assertRefused(2.5, "a whole number", r -> r.whole("units"));
        assertRefused(Double.POSITIVE_INFINITY, "a whole number", r -> r.whole("units"));
        assertRefused("64", "a number", r -> r.whole("units"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ConfigReader("x", Map.of("b", List.of(1, 1e300))).wholes("b"));
        assertTrue(e.getMessage().contains("\"b\" must be a whole number in the long range"), e.getMessage());
    }

    @Test
    void intsAreRangeChecked() {
        assertEquals(100_000, reader(100_000).integer("units"));
        // Math.toIntExact used to throw a bare ArithmeticException ("integer overflow") here
        assertRefused(10_000_000_000L, "a whole number from -2147483648 to 2147483647", r -> r.integer("units"));
        assertRefused(1e10, "a whole number from -2147483648 to 2147483647", r -> r.integer("units", 5));
    }
}
