package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.core.Tensor;
import org.grad4j.registry.Registry;

/**
 * Keras' L1, L2 and L1L2 weight penalties: {@code l1 * sum(|w|)} and {@code l2 * sum(w²)}.
 * Factors must be finite and non-negative.
 */
public final class Regularizers {
    private static final Registry<Regularizer> REGISTRY = new Registry<>("regularizer", false);

    /** Keras' default factor for L1 and L2. */
    public static final double DEFAULT_FACTOR = 0.01;

    static {
        builtIn("L1", c -> l1(c.number("l1", DEFAULT_FACTOR)));
        builtIn("L2", c -> l2(c.number("l2", DEFAULT_FACTOR)));
        builtIn("L1L2", c -> l1l2(c.number("l1", 0.0), c.number("l2", 0.0)));
    }

    private Regularizers() {
    }

    /** {@code 0.01 * sum(|w|)}. */
    public static Regularizer l1() {
        return l1(DEFAULT_FACTOR);
    }

    /** {@code l1 * sum(|w|)}. */
    public static Regularizer l1(double l1) {
        return new L1(check("l1", l1));
    }

    /** {@code 0.01 * sum(w²)}. */
    public static Regularizer l2() {
        return l2(DEFAULT_FACTOR);
    }

    /** {@code l2 * sum(w²)}. */
    public static Regularizer l2(double l2) {
        return new L2(check("l2", l2));
    }

    /** {@code l1 * sum(|w|) + l2 * sum(w²)}. */
    public static Regularizer l1l2(double l1, double l2) {
        return new L1L2(check("l1", l1), check("l2", l2));
    }

    /** Keras' serialized form, {@code {class_name: "L2", config: {l2: 0.01}}}; null for null. */
    public static Map<String, Object> serialize(Regularizer regularizer) {
        if (regularizer == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", regularizer instanceof L1 ? "L1" : regularizer instanceof L2 ? "L2"
                : regularizer instanceof L1L2 ? "L1L2" : LayerNames.className(regularizer.getClass()));
        out.put("config", regularizer.config());
        return out;
    }

    /**
     * Reads back {@link #serialize}'s form; null gives null.
     *
     * @throws IllegalArgumentException for an unknown class or a bad factor
     */
    public static Regularizer deserialize(Object serialized) {
        if (serialized == null) {
            return null;
        }
        if (!(serialized instanceof Map<?, ?> map) || !(map.get("class_name") instanceof String className)) {
            throw new IllegalArgumentException("Regularizers.deserialize: expected {class_name, config}, got " + serialized);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = map.get("config") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
        if (!REGISTRY.contains(className)) {
            throw Registry.unknown("Regularizers.deserialize", "regularizer class", className, REGISTRY.names());
        }
        return REGISTRY.create(className, config, "Regularizers.deserialize");
    }

    /**
     * The regularizer classes {@link #deserialize} knows, by Keras class name; register a custom one here so that
     * layer configs naming it load. A factory gets the regularizer's {@code config()}.
     */
    public static Registry<Regularizer> registry() {
        return REGISTRY;
    }

    private static void builtIn(String className, Function<ConfigReader, Regularizer> factory) {
        REGISTRY.register(className,
                config -> factory.apply(new ConfigReader("Regularizers.deserialize(" + className + ")", config)));
    }

    private static double check(String name, double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("Regularizers: " + name + " must be a finite value >= 0, got " + factor);
        }
        return factor;
    }

    private record L1(double l1) implements Regularizer {
        @Override
        public Tensor penalty(Tensor weight) {
            return weight.abs().sum().mul(l1);
        }

        @Override
        public Map<String, Object> config() {
            return new LinkedHashMap<>(Map.of("l1", l1));
        }
    }

    private record L2(double l2) implements Regularizer {
        @Override
        public Tensor penalty(Tensor weight) {
            return weight.square().sum().mul(l2);
        }

        @Override
        public Map<String, Object> config() {
            return new LinkedHashMap<>(Map.of("l2", l2));
        }
    }

    private record L1L2(double l1, double l2) implements Regularizer {
        @Override
        public Tensor penalty(Tensor weight) {
            return weight.abs().sum().mul(l1).add(weight.square().sum().mul(l2));
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("l1", l1);
            config.put("l2", l2);
            return config;
        }
    }
}
