package org.grad4j.metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.registry.Registry;

/**
 * Metrics by Keras name ({@link #get}) and rebuilt from their config ({@link #fromConfig}). A metric
 * from {@link #get} carries its Keras default name (e.g. {@code mean_absolute_error} for {@code "mae"});
 * rename it with {@link Metric#name(String)} to key a history by what the user typed.
 */
public final class Metrics {
    private static final Set<String> BASE_KEYS = Set.of("name", "dtype");
    private static final Registry<Metric> REGISTRY = new Registry<>("metric", false);

    static {
        simple("Accuracy", Accuracy::new, "accuracy", "acc");
        withKeys("BinaryAccuracy", c -> new BinaryAccuracy(c.number("threshold", 0.5)), List.of("binary_accuracy"),
                "threshold");
        simple("CategoricalAccuracy", CategoricalAccuracy::new, "categorical_accuracy");
        simple("SparseCategoricalAccuracy", SparseCategoricalAccuracy::new, "sparse_categorical_accuracy");
        withKeys("TopKCategoricalAccuracy", c -> new TopKCategoricalAccuracy(c.integer("k", 5)),
                List.of("top_k_categorical_accuracy"), "k");
        withKeys("SparseTopKCategoricalAccuracy",
                c -> new SparseTopKCategoricalAccuracy(c.integer("k", 5), c.bool("from_sorted_ids", false)),
                List.of("sparse_top_k_categorical_accuracy"), "k", "from_sorted_ids");
        simple("MeanSquaredError", MeanSquaredError::new, "mse", "MSE", "mean_squared_error");
        simple("MeanAbsoluteError", MeanAbsoluteError::new, "mae", "MAE", "mean_absolute_error");
        withKeys("Precision", c -> new Precision(threshold(c), c.integer("top_k", null), c.integer("class_id", null)),
                List.of("precision"), "thresholds", "top_k", "class_id");
        withKeys("Recall", c -> new Recall(threshold(c), c.integer("top_k", null), c.integer("class_id", null)),
                List.of("recall"), "thresholds", "top_k", "class_id");
        withKeys("AUC", Metrics::auc, List.of("auc"), "num_thresholds", "curve", "summation_method", "multi_label",
                "num_labels", "label_weights", "from_logits", "thresholds");
        simple("Mean", Mean::new);
    }

    private Metrics() {
    }

    private static void simple(String className, Supplier<Metric> factory, String... aliases) {
        withKeys(className, c -> factory.get(), List.of(aliases));
    }

    /** A built-in class: its factory, its Keras names, and its config keys besides name and dtype. */
    private static void withKeys(String className, Function<ConfigReader, Metric> factory, List<String> aliases,
            String... keys) {
        Set<String> known = new HashSet<>(BASE_KEYS);
        known.addAll(Set.of(keys));
        REGISTRY.register(className, config -> {
            ConfigReader c = new ConfigReader("Metrics.fromConfig(" + className + ")", config).allowOnly(known);
            Metric metric = factory.apply(c);
            return c.has("name") ? metric.name(c.string("name", null)) : metric;
        }, aliases.toArray(String[]::new));
    }

    /**
     * The metric classes {@link #get} and {@link #fromConfig} know, by Keras class name (with Keras names such
     * as {@code accuracy} as aliases). Register a custom metric here and a saved model compiled with it loads
     * again; its factory gets the metric's {@link Metric#config()}.
     */
    public static Registry<Metric> registry() {
        return REGISTRY;
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
     * ({@code mean_absolute_error}), {@code precision}, {@code recall}, {@code auc}, or a (registered) class name. Keras'
     * {@code compile} picks the accuracy variant for {@code "accuracy"} from the loss; here it is
     * {@link Accuracy} (exact equality), and the caller chooses.
     */
    public static Metric get(String name) {
        if (!REGISTRY.contains(name)) {
            throw Registry.unknown("Metrics.get", "metric", name, REGISTRY.displayNames());
        }
        return REGISTRY.create(name, Map.of(), "Metrics.get");
    }

    /**
     * Rebuilds a metric, with empty state, from its Keras class name and {@link Metric#config()}.
     *
     * @param className e.g. {@code BinaryAccuracy}
     * @param config    e.g. {@code {name, dtype, threshold}}; missing keys take defaults
     */
    @SuppressWarnings("unchecked")
    public static Metric fromConfig(String className, Map<String, ?> config) {
        if (!REGISTRY.contains(className)) {
            throw Registry.unknown("Metrics.fromConfig", "metric class", className, REGISTRY.names());
        }
        return REGISTRY.create(className, (Map<String, Object>) config, "Metrics.fromConfig");
    }

    /** Keras' {@code serialize}: {@code {"class_name": ..., "config": {...}}}. */
    public static Map<String, Object> serialize(Metric metric) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", metric.getClass().getSimpleName());
        out.put("config", metric.config());
        return out;
    }
}
