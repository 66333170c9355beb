package org.grad4j.optimizers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * Reads a Keras-style config map as it arrives from {@code config()} or from JSON: numbers may be
 * Integer, Long or Double, lists may be Lists or Java arrays, and a missing key means the default.
 */
final class ConfigValues {
    private final String owner;
    private final Map<String, Object> config;

    ConfigValues(String owner, Map<String, Object> config) {
        if (config == null) {
            throw new IllegalArgumentException(owner + ": the config is null");
        }
        this.owner = owner;
        this.config = config;
    }

    /** Fails on any key outside {@code known}, listing them: a typo must not pass silently. */
    ConfigValues allowOnly(Set<String> known) {
        for (String key : config.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(owner + ": unknown config key \"" + key + "\" (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    /** True if the key is present with a non-null value. */
    boolean has(String key) {
        return config.get(key) != null;
    }

    /** True if the key is present, even with a null value. */
    boolean containsKey(String key) {
        return config.containsKey(key);
    }

    Object raw(String key) {
        return config.get(key);
    }

    /** Calls {@code setter} with the number under {@code key}, if there is one. */
    void ifNumber(String key, DoubleConsumer setter) {
        if (has(key)) {
            setter.accept(number(key));
        }
    }

    /** Calls {@code setter} with the boolean under {@code key}, if there is one. */
    void ifBool(String key, Consumer<Boolean> setter) {
        if (has(key)) {
            setter.accept(bool(key));
        }
    }

    double number(String key) {
        Object v = config.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must be a number, got " + v);
    }

    long whole(String key) {
        double d = number(key);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must be a whole number, got " + d);
        }
        return (long) d;
    }

    boolean bool(String key) {
        Object v = config.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must be true or false, got " + v);
    }

    String string(String key) {
        Object v = config.get(key);
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must be a string, got " + v);
    }

    double[] numbers(String key) {
        Object v = config.get(key);
        if (v instanceof double[] a) {
            return a.clone();
        }
        if (v instanceof long[] a) {
            return Arrays.stream(a).asDoubleStream().toArray();
        }
        if (v instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must hold numbers, got " + v);
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must be a list of numbers, got " + v);
    }

    long[] wholes(String key) {
        double[] d = numbers(key);
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i])) {
                throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must hold whole numbers, got " + d[i]);
            }
            out[i] = (long) d[i];
        }
        return out;
    }
}
