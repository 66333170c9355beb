package org.grad4j.losses;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.grad4j.core.ConfigReader;

/**
 * Losses by Keras name ({@link #get}) and rebuilt from their config ({@link #fromConfig}), as Keras'
 * {@code keras.losses.get} and {@code deserialize}.
 */
public final class Losses {
    /** Keras' {@code epsilon()}: the probability clip of the cross-entropies. */
    public static final double EPSILON = 1e-7;

    private static final String KNOWN = "mse, mae, huber, binary_crossentropy, categorical_crossentropy, "
            + "sparse_categorical_crossentropy";
    private static final Map<String, Supplier<Loss>> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, Function<ConfigReader, Loss>> BY_CLASS = new LinkedHashMap<>();
    private static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

    static {
        names(MeanSquaredError::new, "mse", "MSE", "mean_squared_error", "MeanSquaredError");
        names(MeanAbsoluteError::new, "mae", "MAE", "mean_absolute_error", "MeanAbsoluteError");
        names(Huber::new, "huber", "huber_loss", "Huber");
        names(BinaryCrossentropy::new, "binary_crossentropy", "bce", "BCE", "BinaryCrossentropy");
        names(CategoricalCrossentropy::new, "categorical_crossentropy", "CategoricalCrossentropy");
        names(SparseCategoricalCrossentropy::new, "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy");

        register("MeanSquaredError", c -> new MeanSquaredError());
        register("MeanAbsoluteError", c -> new MeanAbsoluteError());
        register("Huber", c -> new Huber(c.number("delta", 1.0)), "delta");
        register("BinaryCrossentropy", c -> new BinaryCrossentropy(c.bool("from_logits", false))
                .labelSmoothing(c.number("label_smoothing", 0.0)).axis(c.integer("axis", -1)),
                "from_logits", "label_smoothing", "axis");
        register("CategoricalCrossentropy", c -> new CategoricalCrossentropy(c.bool("from_logits", false))
                .labelSmoothing(c.number("label_smoothing", 0.0)).axis(c.integer("axis", -1)),
                "from_logits", "label_smoothing", "axis");
        register("SparseCategoricalCrossentropy", c -> new SparseCategoricalCrossentropy(c.bool("from_logits", false))
                .ignoreClass(c.integer("ignore_class", null)).axis(c.integer("axis", -1)),
                "from_logits", "ignore_class", "axis");
    }

    private Losses() {
    }

    private static void names(Supplier<Loss> factory, String... names) {
        for (String name : names) {
            BY_NAME.put(name, factory);
        }
    }

    /** A class for {@link #fromConfig}: its factory, and its keys besides name, reduction and dtype. */
    private static void register(String className, Function<ConfigReader, LossFunctionWrapper<?>> factory, String... keys) {
        Set<String> known = new HashSet<>(Set.of("name", "reduction", "dtype"));
        known.addAll(Set.of(keys));
        KEYS.put(className, known);
        BY_CLASS.put(className, c -> {
            LossFunctionWrapper<?> loss = factory.apply(c);
            if (c.has("name")) {
                loss.name(c.string("name", null));
            }
            // a present null is Keras' reduction=None
            return loss.reduction(c.has("reduction") ? Reduction.fromKerasName(c.string("reduction", null))
                    : c.containsKey("reduction") ? Reduction.NONE : Reduction.SUM_OVER_BATCH_SIZE);
        });
    }

    /**
     * A new loss with default settings by Keras name or alias: {@code mse}, {@code mae}, {@code huber},
     * {@code binary_crossentropy}, {@code categorical_crossentropy}, {@code sparse_categorical_crossentropy}
     * (also {@code mean_squared_error}, {@code mean_absolute_error}, {@code bce} and the class names).
     */
    public static Loss get(String name) {
        Supplier<Loss> factory = name == null ? null : BY_NAME.get(name.trim());
        if (factory == null) {
            throw new IllegalArgumentException("Losses.get: unknown loss " + (name == null ? "null" : "\"" + name + "\"")
                    + " (known: " + KNOWN + ")");
        }
        return factory.get();
    }

    /**
     * Rebuilds a loss from its Keras class name and {@link Loss#config()} (Keras' {@code from_config}).
     *
     * @param className e.g. {@code CategoricalCrossentropy}
     * @param config    e.g. {@code {name, reduction, from_logits, label_smoothing, axis}}; missing keys take defaults
     */
    public static Loss fromConfig(String className, Map<String, ?> config) {
        Function<ConfigReader, Loss> factory = className == null ? null : BY_CLASS.get(className);
        if (factory == null) {
            throw new IllegalArgumentException("Losses.fromConfig: unknown loss class " + (className == null ? "null"
                    : "\"" + className + "\"") + " (known: " + String.join(", ", BY_CLASS.keySet()) + ")");
        }
        ConfigReader reader = new ConfigReader("Losses.fromConfig(" + className + ")", config);
        return factory.apply(reader.allowOnly(KEYS.get(className)));
    }

    /** Keras' {@code serialize}: {@code {"class_name": ..., "config": {...}}}, the input of {@link #deserialize}. */
    public static Map<String, Object> serialize(Loss loss) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", loss.getClass().getSimpleName());
        out.put("config", loss.config());
        return out;
    }

    /** Keras' {@code deserialize}: the loss described by {@link #serialize}'s map. */
    public static Loss deserialize(Map<String, ?> serialized) {
        if (serialized == null || !(serialized.get("class_name") instanceof String)
                || !(serialized.get("config") == null || serialized.get("config") instanceof Map)) {
            throw new IllegalArgumentException("Losses.deserialize: expected {\"class_name\": String, \"config\": {...}}, got "
                    + serialized);
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> config = serialized.get("config") == null ? Map.of() : (Map<String, ?>) serialized.get("config");
        return fromConfig((String) serialized.get("class_name"), config);
    }
}
