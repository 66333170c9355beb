package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.ConfigReader;
import org.grad4j.core.Tensor;

/**
 * Keras' L1, L2 and L1L2 weight penalties: {@code l1 * sum(|w|)} and {@code l2 * sum(w²)}.
 * Factors must be finite and non-negative.
 */
public final class Regularizers {
    /** Keras' default factor for L1 and L2. */
    public static final double DEFAULT_FACTOR = 0.01;

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
        ConfigReader read = new ConfigReader("Regularizers.deserialize(" + className + ")", config);
        return switch (className) {
            case "L1" -> l1(read.number("l1", DEFAULT_FACTOR));
            case "L2" -> l2(read.number("l2", DEFAULT_FACTOR));
            case "L1L2" -> l1l2(read.number("l1", 0.0),
                    read.number("l2", 0.0));
            default -> throw new IllegalArgumentException("Regularizers.deserialize: unknown regularizer class \""
                    + className + "\" (known: L1, L2, L1L2)");
        };
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
