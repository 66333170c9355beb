package org.grad4j.metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.grad4j.core.ConfigReader;

/**
 * Metrics by Keras name ({@link #get}) and rebuilt from their config ({@link #fromConfig}). A metric
 * from {@link #get} carries its Keras default name (e.g. {@code mean_absolute_error} for {@code "mae"});
 * rename it with {@link Metric#name(String)} to key a history by what the user typed.
 */
public final class Metrics {
    private static final String KNOWN = "accuracy, acc, binary_accuracy, categorical_accuracy, "
            + "sparse_categorical_accuracy, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mse, "
            + "mean_squared_error, mae, mean_absolute_error, precision, recall, auc";
    private static final Map<String, Supplier<Metric>> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, Function<ConfigReader, Metric>> BY_CLASS = new LinkedHashMap<>();
    private static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();
    private static final Set<String> BASE_KEYS = Set.of("name", "dtype");

    static {
        names(Accuracy::new, "accuracy", "acc", "Accuracy");
        names(BinaryAccuracy::new, "binary_accuracy", "BinaryAccuracy");
        names(CategoricalAccuracy::new, "categorical_accuracy", "CategoricalAccuracy");
        names(SparseCategoricalAccuracy::new, "sparse_categorical_accuracy", "SparseCategoricalAccuracy");
        names(TopKCategoricalAccuracy::new, "top_k_categorical_accuracy", "TopKCategoricalAccuracy");
        names(SparseTopKCategoricalAccuracy::new, "sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy");
        names(MeanSquaredError::new, "mse", "MSE", "mean_squared_error", "MeanSquaredError");
        names(MeanAbsoluteError::new, "mae", "MAE", "mean_absolute_error", "MeanAbsoluteError");
        names(Precision::new, "precision", "Precision");
        names(Recall::new, "recall", "Recall");
        names(AUC::new, "auc", "AUC");

        simple("Mean", Mean::new);
        simple("Accuracy", Accuracy::new);
        simple("CategoricalAccuracy", CategoricalAccuracy::new);
        simple("SparseCategoricalAccuracy", SparseCategoricalAccuracy::new);
        simple("MeanSquaredError", MeanSquaredError::new);
        simple("MeanAbsoluteError", MeanAbsoluteError::new);
        withKeys("BinaryAccuracy", c -> new BinaryAccuracy(c.number("threshold", 0.5)), "threshold");
        withKeys("TopKCategoricalAccuracy", c -> new TopKCategoricalAccuracy(c.integer("k", 5)), "k");
        withKeys("SparseTopKCategoricalAccuracy",
                c -> new SparseTopKCategoricalAccuracy(c.integer("k", 5), c.bool("from_sorted_ids", false)),
                "k", "from_sorted_ids");
        withKeys("Precision", c -> new Precision(threshold(c), c.integer("top_k", null), c.integer("class_id", null)),
                "thresholds", "top_k", "class_id");
        withKeys("Recall", c -> new Recall(threshold(c), c.integer("top_k", null), c.integer("class_id", null)),
                "thresholds", "top_k", "class_id");
        withKeys("AUC", Metrics::auc, "num_thresholds", "curve", "summation_method", "multi_label", "num_labels",
                "label_weights", "from_logits", "thresholds");
    }

    private Metrics() {
    }

    private static void names(Supplier<Metric> factory, String... names) {
        for (String name : names) {
            BY_NAME.put(name, factory);
        }
    }

    private static void simple(String className, Supplier<Metric> factory) {
        withKeys(className, c -> factory.get());
    }

    private static void withKeys(String className, Function<ConfigReader, Metric> factory, String... keys) {
        Set<String> known = new HashSet<>(BASE_KEYS);
        known.addAll(Set.of(keys));
        KEYS.put(className, known);
        BY_CLASS.put(className, c -> {
            Metric metric = factory.apply(c);
            return c.has("name") ? metric.name(c.string("name", null)) : metric;
        });
    }

    private static Double threshold(ConfigReader c) {
        return c.has("thresholds") ? c.number("thresholds", 0.5) : null;
    }

    private static Metric auc(ConfigReader c) {
        if (c.bool("multi_label", false) || c.has("label_weights") || c.has("num_labels") || c.has("thresholds")) {
            throw new IllegalArgumentException("Metrics.fromConfig(AUC): multi_label, num_labels, label_weights and "
                    + "explicit thresholds are not supported; use num_thresholds");
        }
        String curve = c.string("curve", "ROC").toUpperCase(Locale.ROOT);
        String method = c.string("summation_method", "interpolation").toUpperCase(Locale.ROOT);
        try {
            return new AUC(c.integer("num_thresholds", 200), AUC.Curve.valueOf(curve))
                    .summationMethod(AUC.SummationMethod.valueOf(method))
                    .fromLogits(c.bool("from_logits", false));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("No enum constant")) {
                throw new IllegalArgumentException("Metrics.fromConfig(AUC): curve must be ROC or PR and "
                        + "summation_method interpolation, minoring or majoring; got curve \"" + curve
                        + "\", summation_method \"" + method.toLowerCase(Locale.ROOT) + "\"");
            }
            throw e;
        }
    }

    /**
     * A new metric with default settings by Keras name: {@code accuracy} ({@code acc}), {@code binary_accuracy},
     * {@code categorical_accuracy}, {@code sparse_categorical_accuracy}, {@code top_k_categorical_accuracy},
     * {@code sparse_top_k_categorical_accuracy}, {@code mse} ({@code mean_squared_error}), {@code mae}
     * ({@code mean_absolute_error}), {@code precision}, {@code recall}, {@code auc}, or a class name. Keras'
     * {@code compile} picks the accuracy variant for {@code "accuracy"} from the loss; here it is
     * {@link Accuracy} (exact equality), and the caller chooses.
     */
    public static Metric get(String name) {
        Supplier<Metric> factory = name == null ? null : BY_NAME.get(name.trim());
        if (factory == null) {
            throw new IllegalArgumentException("Metrics.get: unknown metric " + (name == null ? "null" : "\"" + name + "\"")
                    + " (known: " + KNOWN + ")");
        }
        return factory.get();
    }

    /**
     * Rebuilds a metric, with empty state, from its Keras class name and {@link Metric#config()}.
     *
     * @param className e.g. {@code BinaryAccuracy}
     * @param config    e.g. {@code {name, dtype, threshold}}; missing keys take defaults
     */
    public static Metric fromConfig(String className, Map<String, ?> config) {
        Function<ConfigReader, Metric> factory = className == null ? null : BY_CLASS.get(className);
        if (factory == null) {
            throw new IllegalArgumentException("Metrics.fromConfig: unknown metric class " + (className == null ? "null"
                    : "\"" + className + "\"") + " (known: " + String.join(", ", BY_CLASS.keySet()) + ")");
        }
        ConfigReader reader = new ConfigReader("Metrics.fromConfig(" + className + ")", config);
        return factory.apply(reader.allowOnly(KEYS.get(className)));
    }

    /** Keras' {@code serialize}: {@code {"class_name": ..., "config": {...}}}. */
    public static Map<String, Object> serialize(Metric metric) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", metric.getClass().getSimpleName());
        out.put("config", metric.config());
        return out;
    }
}
