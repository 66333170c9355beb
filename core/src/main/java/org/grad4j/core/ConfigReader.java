package org.grad4j.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * Reads a Keras-style config map (the {@code config()} of a layer, loss, metric or optimizer) as it
 * arrives from Java or from JSON: numbers may be Integer, Long or Double, lists may be Lists or Java
 * arrays, and a missing or null key means the default. Every module's {@code fromConfig} reads through
 * it, so wrong types and unknown keys are reported the same way everywhere.
 */
public final class ConfigReader {
    private final String owner;
    private final Map<String, ?> config;

    /** @param owner who reads, for error messages, e.g. {@code Dense.fromConfig} */
    public ConfigReader(String owner, Map<String, ?> config) {
        if (config == null) {
            throw new IllegalArgumentException(owner + ": the config is null");
        }
        this.owner = owner;
        this.config = config;
    }

    /** Fails on any key outside {@code known}, listing them: a typo must not pass silently. */
    public ConfigReader allowOnly(Set<String> known) {
        for (String key : config.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(owner + ": unknown config key \"" + key + "\" (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    /** True if the key is present with a non-null value. */
    public boolean has(String key) {
        return config.get(key) != null;
    }

    /** True if the key is present, even with a null value (Keras' None). */
    public boolean containsKey(String key) {
        return config.containsKey(key);
    }

    public Object raw(String key) {
        return config.get(key);
    }

    /** Calls {@code setter} with the number under {@code key}, if there is one. */
    public void ifNumber(String key, DoubleConsumer setter) {
        if (has(key)) {
            setter.accept(number(key));
        }
    }

    /** Calls {@code setter} with the boolean under {@code key}, if there is one. */
    public void ifBool(String key, Consumer<Boolean> setter) {
        if (has(key)) {
            setter.accept(bool(key));
        }
    }

    /** A required number. */
    public double number(String key) {
        Object v = required(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(key, v, "a number");
    }

    public double number(String key, double fallback) {
        return has(key) ? number(key) : fallback;
    }

    /** A required whole number. */
    public long whole(String key) {
        double d = number(key);
        if (d != Math.rint(d)) {
            throw wrongType(key, config.get(key), "a whole number");
        }
        return (long) d;
    }

    /** A whole number, or {@code null} when absent (e.g. a seed that was not set). */
    public Long optionalWhole(String key) {
        return has(key) ? whole(key) : null;
    }

    /** An int, or {@code fallback} (which may be null) when absent. */
    public Integer integer(String key, Integer fallback) {
        return has(key) ? Integer.valueOf(Math.toIntExact(whole(key))) : fallback;
    }

    /** A required boolean. */
    public boolean bool(String key) {
        Object v = required(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, v, "true or false");
    }

    public boolean bool(String key, boolean fallback) {
        return has(key) ? bool(key) : fallback;
    }

    /** A required string. */
    public String string(String key) {
        Object v = required(key);
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(key, v, "a string");
    }

    public String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    /** A required list of numbers (a List, double[] or long[]). */
    public double[] numbers(String key) {
        Object v = required(key);
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
                    throw wrongType(key, v, "a list of numbers");
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        throw wrongType(key, v, "a list of numbers");
    }

    /** A required list of whole numbers. */
    public long[] wholes(String key) {
        double[] d = numbers(key);
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i])) {
                throw wrongType(key, config.get(key), "a list of whole numbers");
            }
            out[i] = (long) d[i];
        }
        return out;
    }

    private Object required(String key) {
        Object v = config.get(key);
        if (v == null) {
            throw new IllegalArgumentException(owner + ": the config has no \"" + key + "\" (keys: "
                    + new TreeSet<>(config.keySet()) + ")");
        }
        return v;
    }

    private IllegalArgumentException wrongType(String key, Object v, String expected) {
        return new IllegalArgumentException(owner + ": config key \"" + key + "\" must be " + expected + ", got " + v);
    }
}
