package org.grad4j.layers;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Typed reads from Keras-style config maps (as written by {@code config()} or parsed from JSON, where a
 * number may come back as any {@link Number}), and Keras' dtype names. Errors name the reader and the key.
 */
final class ConfigValues {
    private ConfigValues() {
    }

    /** Keras' name of a floating data type: {@code float32}, {@code float64}, ... */
    static String dtypeName(DataType type) {
        return switch (type) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case HALF -> "float16";
            case BFLOAT16 -> "bfloat16";
            default -> throw new IllegalArgumentException("dtype: " + type
                    + " is not a floating type (layers compute in float32, float64, float16 or bfloat16)");
        };
    }

    /** The data type of a Keras dtype name; also accepts Keras 3's DTypePolicy map {config: {name}}. */
    static DataType dtype(Object name, String owner) {
        Object n = name instanceof Map<?, ?> policy && policy.get("config") instanceof Map<?, ?> c ? c.get("name") : name;
        return switch (String.valueOf(n)) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            case "float16" -> DataType.HALF;
            case "bfloat16" -> DataType.BFLOAT16;
            default -> throw new IllegalArgumentException(owner + ": unknown dtype \"" + n
                    + "\" (known: float32, float64, float16, bfloat16)");
        };
    }

    static int intValue(Map<String, Object> config, String key, int fallback, String owner) {
        Number n = number(config, key, owner);
        if (n == null) {
            return fallback;
        }
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException(owner + ": \"" + key + "\" must be an integer, got " + n);
        }
        return Math.toIntExact(n.longValue());
    }

    /** A required integer. */
    static int intValue(Map<String, Object> config, String key, String owner) {
        if (config.get(key) == null) {
            throw new IllegalArgumentException(owner + ": the config has no \"" + key + "\" (keys: " + config.keySet() + ")");
        }
        return intValue(config, key, 0, owner);
    }

    static double doubleValue(Map<String, Object> config, String key, double fallback, String owner) {
        Number n = number(config, key, owner);
        return n == null ? fallback : n.doubleValue();
    }

    /** A long, or null when absent (a seed that was not set). */
    static Long optionalLong(Map<String, Object> config, String key, String owner) {
        Number n = number(config, key, owner);
        return n == null ? null : n.longValue();
    }

    static boolean booleanValue(Map<String, Object> config, String key, boolean fallback, String owner) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException(owner + ": \"" + key + "\" must be true or false, got " + v);
        }
        return b;
    }

    private static Number number(Map<String, Object> config, String key, String owner) {
        Object v = config.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(owner + ": \"" + key + "\" must be a number, got \"" + v + "\"");
        }
        return n;
    }
}
