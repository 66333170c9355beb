package org.grad4j.losses;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.registry.Registry;

/**
 * Losses by Keras name ({@link #get}) and rebuilt from their config ({@link #fromConfig}), as Keras'
 * {@code keras.losses.get} and {@code deserialize}.
 */
public final class Losses {
    /** Keras' {@code epsilon()}: the probability clip of the cross-entropies. */
    public static final double EPSILON = 1e-7;

    private static final Registry<Loss> REGISTRY = new Registry<>("loss", false);

    static {
        builtIn("MeanSquaredError", c -> new MeanSquaredError(), List.of("mse", "MSE", "mean_squared_error"));
        builtIn("MeanAbsoluteError", c -> new MeanAbsoluteError(), List.of("mae", "MAE", "mean_absolute_error"));
        builtIn("Huber", c -> new Huber(c.number("delta", 1.0)), List.of("huber", "huber_loss"), "delta");
        builtIn("BinaryCrossentropy", c -> new BinaryCrossentropy(c.bool("from_logits", false))
                .labelSmoothing(c.number("label_smoothing", 0.0)).axis(c.integer("axis", -1)),
                List.of("binary_crossentropy", "bce", "BCE"), "from_logits", "label_smoothing", "axis");
        builtIn("CategoricalCrossentropy", c -> new CategoricalCrossentropy(c.bool("from_logits", false))
                .labelSmoothing(c.number("label_smoothing", 0.0)).axis(c.integer("axis", -1)),
                List.of("categorical_crossentropy"), "from_logits", "label_smoothing", "axis");
        builtIn("SparseCategoricalCrossentropy", c -> new SparseCategoricalCrossentropy(c.bool("from_logits", false))
                .ignoreClass(c.integer("ignore_class", null)).axis(c.integer("axis", -1)),
                List.of("sparse_categorical_crossentropy"), "from_logits", "ignore_class", "axis");
    }

    private Losses() {
    }

    /**
     * A built-in class: its factory, its Keras names, and its config keys besides name, reduction and dtype
     * (any other key is an error, so a typo in a file does not pass silently).
     */
    private static void builtIn(String className, Function<ConfigReader, LossFunctionWrapper<?>> factory,
            List<String> aliases, String... keys) {
        Set<String> known = new HashSet<>(Set.of("name", "reduction", "dtype"));
        known.addAll(Set.of(keys));
        REGISTRY.register(className, config -> {
            ConfigReader c = new ConfigReader("Losses.fromConfig(" + className + ")", config).allowOnly(known);
            LossFunctionWrapper<?> loss = factory.apply(c);
            if (c.has("name")) {
                loss.name(c.string("name", null));
            }
            // a present null is Keras' reduction=None
            return loss.reduction(c.has("reduction") ? Reduction.fromKerasName(c.string("reduction", null))
                    : c.containsKey("reduction") ? Reduction.NONE : Reduction.SUM_OVER_BATCH_SIZE);
        }, aliases.toArray(String[]::new));
    }

    /**
     * The loss classes {@link #get} and {@link #fromConfig} know, by Keras class name (with the Keras names
     * such as {@code mse} as aliases). Register a custom loss here, {@code registry().register("MyLoss",
     * MyLoss::fromConfig)}, and a saved model compiled with it loads again; its factory gets the loss'
     * {@link Loss#config()}.
     */
    public static Registry<Loss> registry() {
        return REGISTRY;
    }

    /**
     * A new loss with default settings by Keras name or alias: {@code mse}, {@code mae}, {@code huber},
     * {@code binary_crossentropy}, {@code categorical_crossentropy}, {@code sparse_categorical_crossentropy}
     * (also {@code mean_squared_error}, {@code mean_absolute_error}, {@code bce}, the class names and any
     * registered class, made from an empty config).
     */
    public static Loss get(String name) {
        if (!REGISTRY.contains(name)) {
            throw Registry.unknown("Losses.get", "loss", name, REGISTRY.displayNames());
        }
        return REGISTRY.create(name, Map.of(), "Losses.get");
    }

    /**
     * Rebuilds a loss from its Keras class name and {@link Loss#config()} (Keras' {@code from_config}).
     *
     * @param className e.g. {@code CategoricalCrossentropy}
     * @param config    e.g. {@code {name, reduction, from_logits, label_smoothing, axis}}; missing keys take defaults
     */
    @SuppressWarnings("unchecked")
    public static Loss fromConfig(String className, Map<String, ?> config) {
        if (!REGISTRY.contains(className)) {
            throw Registry.unknown("Losses.fromConfig", "loss class", className, REGISTRY.names());
        }
        return REGISTRY.create(className, (Map<String, Object>) config, "Losses.fromConfig");
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
