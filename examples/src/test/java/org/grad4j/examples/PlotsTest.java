package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.models.History;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The classifier curves the fashion and binary apps share. */
class PlotsTest {

    @Test
    void trainingCurvesDrawLossesLeftAndAccuraciesRightAtTheEpochsLogged() {
        History history = new History();
        for (int epoch = 0; epoch < 4; epoch++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", 1.0 / (epoch + 1));
            logs.put("accuracy", 0.5 + 0.1 * epoch);
            if (epoch % 2 == 1) {   // validation every second epoch, as validationFreq(2) logs it
                logs.put("val_loss", 2.0 / (epoch + 1));
                logs.put("val_accuracy", 0.4 + 0.1 * epoch);
            }
            logs.put("learning_rate", 0.001);
            history.onEpochEnd(epoch, logs);
        }
        XYChart chart = Plots.trainingCurves("t", history, 0.1);
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertEquals(List.of("loss", "val_loss", "accuracy", "val_accuracy"), List.copyOf(series.keySet()),
                "losses first, accuracies next, learning_rate left out");
        assertEquals(0, series.get("loss").getYAxisGroup());
        assertEquals(0, series.get("val_loss").getYAxisGroup());
        assertEquals(1, series.get("accuracy").getYAxisGroup());
        assertEquals(1, series.get("val_accuracy").getYAxisGroup());
        assertArrayEquals(new double[] {1, 2, 3, 4}, series.get("loss").getXData());
        assertArrayEquals(new double[] {2, 4}, series.get("val_loss").getXData());
        assertArrayEquals(new double[] {0.5, 0.7}, series.get("val_accuracy").getYData(), 1e-12);
        assertEquals(0.1, chart.getStyler().getYAxisMin(1));
        assertEquals(1.0, chart.getStyler().getYAxisMax(1));
    }
}
