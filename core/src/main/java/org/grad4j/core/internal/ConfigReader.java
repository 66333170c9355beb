package org.grad4j.core.internal;

import java.math.BigInteger;
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

    /**
     * A required whole number. Integers are taken exactly (a double is exact only up to 2^53); a float is
     * accepted when it has no fraction and lies in the long range, since JSON writers differ.
     */
    public long whole(String key) {
        Object v = required(key);
        return whole(key, v, v);
    }

    /** {@code item} as a whole number; {@code shown} is what the message quotes (the item, or its whole list). */
    private long whole(String key, Object item, Object shown) {
        if (item instanceof Integer || item instanceof Long || item instanceof Short || item instanceof Byte) {
            return ((Number) item).longValue();
        }
        if (item instanceof BigInteger big) {
            if (big.bitLength() < Long.SIZE) {
                return big.longValue();
            }
            throw wrongType(key, shown, "a whole number in the long range");
        }
        if (!(item instanceof Number number)) {
            throw wrongType(key, shown, "a number");
        }
        double d = number.doubleValue();
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw wrongType(key, shown, "a whole number");
        }
        // (long) would quietly turn 1e300 into Long.MAX_VALUE; -2^63 is exact, 2^63 is the first double beyond
        if (d < -0x1p63 || d >= 0x1p63) {
            throw wrongType(key, shown, "a whole number in the long range");
        }
        return (long) d;
    }

    /** A whole number, or {@code null} when absent (e.g. a seed that was not set). */
    public Long optionalWhole(String key) {
        return has(key) ? whole(key) : null;
    }

    /** A required int: a whole number in the int range. */
    public int integer(String key) {
        long value = whole(key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw wrongType(key, config.get(key), "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** An int, or {@code fallback} (which may be null) when absent. */
    public Integer integer(String key, Integer fallback) {
        return has(key) ? Integer.valueOf(integer(key)) : fallback;
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

    /** A required list of whole numbers, each read as {@link #whole} reads one. */
    public long[] wholes(String key) {
        Object v = required(key);
        List<?> items = v instanceof long[] a ? Arrays.stream(a).boxed().toList()
                : v instanceof double[] a ? Arrays.stream(a).boxed().toList()
                : v instanceof List<?> list ? list : null;
        if (items == null) {
            throw wrongType(key, v, "a list of whole numbers");
        }
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = whole(key, items.get(i), v);
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
