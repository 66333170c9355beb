package org.grad4j.layers;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/** Keras' dtype names ({@code float32}, ...) for layer configs; other config values go through core's ConfigReader. */
final class DTypeNames {
    private DTypeNames() {
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
}
