package org.grad4j.losses;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a Keras-style config map for {@link Losses#fromConfig} and the metrics' {@code fromConfig}, as it
 * arrives from {@code config()} or from JSON: numbers may be Integer, Long or Double, a missing key
 * means the default, and an unknown key fails (a typo must not pass silently). Shared with
 * {@code org.grad4j.metrics}; not needed in user code.
 */
public final class ConfigValues {
    private final String owner;
    private final Map<String, ?> config;

    /**
     * @param owner  who reads, for error messages, e.g. {@code Losses.fromConfig(Huber)}
     * @param known  the keys allowed in {@code config}
     */
    public ConfigValues(String owner, Map<String, ?> config, Set<String> known) {
        if (config == null) {
            throw new IllegalArgumentException(owner + ": the config is null");
        }
        for (String key : config.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(owner + ": unknown config key \"" + key + "\" (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        this.owner = owner;
        this.config = config;
    }

    /** True if the key is present with a non-null value. */
    public boolean has(String key) {
        return config.get(key) != null;
    }

    /** True if the key is present, even with a null value (Keras' None). */
    public boolean hasKey(String key) {
        return config.containsKey(key);
    }

    public String string(String key, String fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String)) {
            throw wrongType(key, v, "a string");
        }
        return (String) v;
    }

    public double number(String key, double fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number)) {
            throw wrongType(key, v, "a number");
        }
        return ((Number) v).doubleValue();
    }

    /** An integer, or {@code fallback} (which may be null) when the key is missing or null. */
    public Integer integer(String key, Integer fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())) {
            throw wrongType(key, v, "an integer");
        }
        return Math.toIntExact(((Number) v).longValue());
    }

    public boolean bool(String key, boolean fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean)) {
            throw wrongType(key, v, "true or false");
        }
        return (Boolean) v;
    }

    private IllegalArgumentException wrongType(String key, Object v, String expected) {
        return new IllegalArgumentException(owner + ": config key \"" + key + "\" must be " + expected + ", got "
                + v + " (" + v.getClass().getSimpleName() + ")");
    }
}
