package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** History's contents, its CSV and JSON forms, and the progress output of verbose 1 and 2. */
class HistoryTest {

    @BeforeEach
    void reset() {
        Layer.resetNameCounters();
        Seeds.set(71);
    }

    private static Map<String, Double> logs(Object... keyValues) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], ((Number) keyValues[i + 1]).doubleValue());
        }
        return out;
    }

    /** A History fed by hand: validation on the second epoch only. */
    private static History handFed() {
        History history = new History();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("verbose", 0);
        params.put("epochs", 2);
        params.put("steps", 4);
        history.setParams(params);
        history.onTrainBegin(new LinkedHashMap<>());
        history.onEpochEnd(0, logs("loss", 0.5, "accuracy", 0.75, "learning_rate", 0.01));
        history.onEpochEnd(1, logs("loss", 0.25, "accuracy", 0.875, "val_loss", 0.3, "val_accuracy", 0.8,
                "learning_rate", 0.01));
        return history;
    }

    @Test
    void historyHoldsOneValuePerLoggedEpoch() {
        History history = handFed();
        assertEquals(List.of(0.5, 0.25), history.get("loss"));
        assertEquals(List.of(0.3), history.get("val_loss"));
        assertEquals(List.of(), history.get("val_mae"));
        assertEquals(List.of(0, 1), history.epochs());
        assertEquals(List.of(1), history.epochsOf("val_accuracy"));
        assertEquals(List.of(0, 1), history.epochsOf("learning_rate"));
        assertThrows(UnsupportedOperationException.class, () -> history.history().get("loss").add(1.0));
        assertThrows(UnsupportedOperationException.class, () -> history.history().clear());
    }

    @Test
    void csvHasOneRowPerEpochAndBlanksWhereNothingWasLogged() {
        assertEquals("""
                epoch,loss,accuracy,learning_rate,val_loss,val_accuracy
                0,0.5,0.75,0.01,,
                1,0.25,0.875,0.01,0.3,0.8
                """, handFed().toCsv());
    }

    @Test
    void jsonHoldsEpochsHistoryAndParams() throws Exception {
        History history = handFed();
        history.onEpochEnd(2, logs("loss", Double.NaN, "accuracy", 0.5, "learning_rate", 0.01));
        Map<?, ?> json = new ObjectMapper().readValue(history.toJson(), Map.class);
        assertEquals(List.of("epoch", "history", "params"), List.copyOf(json.keySet()));
        assertEquals(List.of(0, 1, 2), json.get("epoch"));
        Map<?, ?> values = (Map<?, ?>) json.get("history");
        assertEquals(List.of("loss", "accuracy", "learning_rate", "val_loss", "val_accuracy"), List.copyOf(values.keySet()));
        assertEquals(List.of(0.5, 0.25, "NaN"), values.get("loss"));
        assertEquals(List.of(0.3), values.get("val_loss"));
        assertEquals(Map.of("verbose", 0, "epochs", 2, "steps", 4), json.get("params"));
        // Keras' order of the params, as History.params keeps it
        assertEquals(List.of("verbose", "epochs", "steps"), List.copyOf(((Map<?, ?>) json.get("params")).keySet()));
    }

    @Test
    void fitFillsTheParams() {
        Sequential model = new Sequential(new InputLayer(1), new Dense(1));
        model.compile(new SGD(0.01), "mse");
        TestData.Set data = TestData.linear(50, new double[] {1}, 0, 0, 1);
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(3).batchSize(16).verbose(0));
        assertEquals(Map.of("epochs", 3, "steps", 4, "verbose", 0), history.params());
        assertEquals(List.of("verbose", "epochs", "steps"), List.copyOf(history.params().keySet()));
        assertTrue(history.toCsv().startsWith("epoch,loss,learning_rate\n0,"), history.toCsv());
        assertEquals(4, history.toCsv().split("\n").length);
    }

    // ---------------------------------------------------------------- progress output

    private static final Pattern EPOCH_LINE = Pattern.compile("\\d+/\\d+ - \\d+s - \\d+(s|ms|us)/step - loss: \\S+"
            + " - mae: \\S+( - val_loss: \\S+ - val_mae: \\S+)? - learning_rate: 0\\.0100");

    private static String fitPrinting(int verbose, int epochs) {
        Sequential model = new Sequential(new InputLayer(1), new Dense(1));
        model.compile(new SGD(0.01), "mse", "mae");
        TestData.Set data = TestData.linear(40, new double[] {1}, 0, 0, 1);
        TestData.Set val = TestData.linear(10, new double[] {1}, 0, 0, 2);
        return TestData.captureOut(() -> model.fit(data.x(), data.y(), FitOptions.epochs(epochs).batchSize(16)
                .validationData(val.x(), val.y()).validationFreq(2).verbose(verbose)));
    }

    private static void assertOneLinePerEpoch(String printed, int epochs) {
        assertFalse(printed.contains("\r"), "carriage returns in: " + printed);
        String[] lines = printed.split("\n", -1);
        assertEquals(2 * epochs + 1, lines.length, printed);
        assertEquals("", lines[2 * epochs]);
        for (int e = 0; e < epochs; e++) {
            assertEquals("Epoch " + (e + 1) + "/" + epochs, lines[2 * e]);
            String line = lines[2 * e + 1];
            assertTrue(EPOCH_LINE.matcher(line).matches(), line);
            assertTrue(line.startsWith("3/3 - "), line);
            assertEquals(e % 2 == 1, line.contains("val_loss"), line);
        }
    }

    @Test
    void verbose2PrintsOneLinePerEpoch() {
        assertOneLinePerEpoch(fitPrinting(2, 3), 3);
    }

    @Test
    void verbose1WithoutATerminalPrintsPlainLinesPerEpoch() {
        // tests run without a terminal (System.console() is null), as CI logs and files do
        assertEquals(null, System.console());
        assertOneLinePerEpoch(fitPrinting(1, 3), 3);
    }

    @Test
    void verbose0PrintsNothing() {
        assertEquals("", fitPrinting(0, 2));
    }
}
