package org.grad4j.models.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.grad4j.models.FitOptions;
import org.grad4j.models.Sequential;
import org.junit.jupiter.api.Test;

class ProgbarLoggerTest {
    /** {@code 8/8 - 0s - 1ms/step - loss: 3.5838 - learning_rate: 0.0100} */
    private static final Pattern PLAIN_LINE = Pattern.compile(
            "8/8 - \\d+s - \\d+(s|ms|us)/step - loss: \\d+\\.\\d{4}( - val_loss: \\d+\\.\\d{4})? - learning_rate: 0\\.0100");

    private static String fit(ProgbarLogger logger, ByteArrayOutputStream text, FitOptions options) {
        Sequential model = Training.linearModel(0.01);
        model.fit(Training.X, Training.Y, options.callbacks(logger));
        return text.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream stream(ByteArrayOutputStream text) {
        return new PrintStream(text, true, StandardCharsets.UTF_8);
    }

    private static void assertPlainEpochs(String out, int epochs) {
        assertFalse(out.contains("\r"), "no carriage returns when not interactive");
        List<String> lines = out.lines().toList();
        assertEquals(2 * epochs, lines.size(), out);
        for (int epoch = 0; epoch < epochs; epoch++) {
            assertEquals("Epoch " + (epoch + 1) + "/" + epochs, lines.get(2 * epoch));
            String line = lines.get(2 * epoch + 1);
            assertTrue(PLAIN_LINE.matcher(line).matches(), line);
        }
    }

    @Test
    void verbose1WithoutATerminalPrintsOnePlainLinePerEpoch() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        String out = fit(new ProgbarLogger(1, stream(text), false), text, Training.options(4));
        assertPlainEpochs(out, 4);
    }

    @Test
    void verbose2PrintsPlainLinesEvenOnATerminal() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        String out = fit(new ProgbarLogger(2, stream(text), true), text,
                Training.options(3).validationData(Training.X, Training.Y));
        assertPlainEpochs(out, 3);
        assertTrue(out.contains(" - val_loss: "), out);
    }

    @Test
    void fitWithVerbose1OnStandardOutputThatIsNoTerminalWritesPlainLines() {
        // how CI logs see fit(..., verbose(1)): System.console() is null under the test runner
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(stream(text));
        try {
            Training.linearModel(0.01).fit(Training.X, Training.Y, Training.options(3).verbose(1));
        } finally {
            System.setOut(original);
        }
        assertPlainEpochs(text.toString(StandardCharsets.UTF_8), 3);
    }

    @Test
    void verbose1OnATerminalRedrawsABarInPlace() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        String out = fit(new ProgbarLogger(1, stream(text), true), text, Training.options(2));
        // String.lines() would also split at '\r'
        List<String> lines = List.of(out.split("\n"));
        assertEquals(4, lines.size(), out);
        for (int epoch = 0; epoch < 2; epoch++) {
            assertEquals("Epoch " + (epoch + 1) + "/2", lines.get(2 * epoch));
            String bar = lines.get(2 * epoch + 1);
            assertTrue(bar.startsWith("\r"), "each draw starts with a carriage return");
            String last = bar.substring(bar.lastIndexOf('\r') + 1).stripTrailing();
            assertTrue(last.matches("8/8 ━{20} \\d+s \\d+(s|ms|us)/step - loss: \\d+\\.\\d{4} - learning_rate: 0\\.0100"), last);
        }
    }

    @Test
    void valuesAndTimesAreFormattedAsKerasPrintsThem() {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", 0.5);
        logs.put("accuracy", 1e-4);
        logs.put("x", 0.0);
        logs.put("y", Double.NaN);
        logs.put("z", Double.NEGATIVE_INFINITY);
        assertEquals(" - loss: 0.5000 - accuracy: 1.0000e-04 - x: 0.0000 - y: nan - z: -inf", ProgbarLogger.values(logs));
        assertEquals("2s/step", ProgbarLogger.perStep(4_000_000_000L, 2));
        assertEquals("30ms/step", ProgbarLogger.perStep(300_000_000L, 10));
        assertEquals("500us/step", ProgbarLogger.perStep(5_000_000L, 10));
    }

    @Test
    void verboseMustBe1Or2() {
        assertEquals("ProgbarLogger: verbose must be 1 or 2, got 0",
                assertThrows(IllegalArgumentException.class, () -> new ProgbarLogger(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProgbarLogger(3, System.out, false));
    }
}
