package org.grad4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void kerasNamesAndDefaultNames() {
        Map<String, Class<?>> expected = Map.ofEntries(
                Map.entry("accuracy", Accuracy.class), Map.entry("acc", Accuracy.class),
                Map.entry("binary_accuracy", BinaryAccuracy.class),
                Map.entry("categorical_accuracy", CategoricalAccuracy.class),
                Map.entry("sparse_categorical_accuracy", SparseCategoricalAccuracy.class),
                Map.entry("top_k_categorical_accuracy", TopKCategoricalAccuracy.class),
                Map.entry("sparse_top_k_categorical_accuracy", SparseTopKCategoricalAccuracy.class),
                Map.entry("mse", MeanSquaredError.class), Map.entry("mean_squared_error", MeanSquaredError.class),
                Map.entry("mae", MeanAbsoluteError.class), Map.entry("mean_absolute_error", MeanAbsoluteError.class),
                Map.entry("precision", Precision.class), Map.entry("recall", Recall.class), Map.entry("auc", AUC.class),
                Map.entry("AUC", AUC.class));
        expected.forEach((name, type) -> assertInstanceOf(type, Metrics.get(name), name));
        assertEquals("mean_absolute_error", Metrics.get("mae").name());
        assertEquals("accuracy", Metrics.get("acc").name());
        assertEquals("auc", Metrics.get("auc").name());
    }

    @Test
    void renamingKeysTheMetricAsTyped() {
        Metric mae = Metrics.get("mae").name("mae");
        assertEquals("mae", mae.name());
        assertEquals("mae", mae.config().get("name"));
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.get("accurcy"));
        assertEquals("Metrics.get: unknown metric \"accurcy\" (known: accuracy, binary_accuracy, categorical_accuracy, "
                + "sparse_categorical_accuracy, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mse, "
                + "mae, precision, recall, auc, Mean)", e.getMessage());
    }

    @Test
    void configRoundTrips() {
        List<Metric> metrics = List.of(new Mean("loss"), new Accuracy(), new BinaryAccuracy(0.7).name("acc"),
                new CategoricalAccuracy(), new SparseCategoricalAccuracy(), new TopKCategoricalAccuracy(3),
                new SparseTopKCategoricalAccuracy(2, true), new MeanSquaredError(), new MeanAbsoluteError(),
                new Precision(0.3, null, 1), new Recall(null, 2, null),
                new AUC(50, AUC.Curve.PR).summationMethod(AUC.SummationMethod.MAJORING).fromLogits(true));
        for (Metric metric : metrics) {
            Map<String, Object> config = metric.config();
            Metric rebuilt = Metrics.fromConfig(metric.getClass().getSimpleName(), config);
            assertEquals(metric.getClass(), rebuilt.getClass());
            assertEquals(config, rebuilt.config());
        }
        assertEquals(Map.of("name", "binary_accuracy", "dtype", "float32", "threshold", 0.5), new BinaryAccuracy().config());
        assertEquals("ROC", new AUC().config().get("curve"));
        assertEquals("interpolation", new AUC().config().get("summation_method"));
    }

    @Test
    void fromConfigErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.fromConfig("BinaryAccuracy", Map.of("treshold", 0.5)));
        assertTrue(e.getMessage().contains("unknown config key \"treshold\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.fromConfig("F1Score", Map.of()));
        assertTrue(e.getMessage().contains("\"F1Score\"") && e.getMessage().contains("Precision"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.fromConfig("AUC", Map.of("curve", "DET")));
        assertTrue(e.getMessage().contains("curve must be ROC or PR"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Metrics.fromConfig("AUC", Map.of("multi_label", true)));
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    }
}
