package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' Zeros, Ones and Constant: every element the same value. Unlike the random initializers they also
 * fill integer weights (as Keras' Zeros fills Normalization's int {@code count}) when the value is whole.
 */
record ConstantInitializer(String kerasName, double value) implements Initializer {

    @Override
    public INDArray init(long[] shape, DataType dtype) {
        if (dtype == null || !dtype.isFPType() && !(dtype.isIntType() && value == Math.rint(value))) {
            throw new IllegalArgumentException("Initializer " + kerasName + "(" + value + "): weights need a floating "
                    + "data type, or an integer one for a whole value, got " + dtype);
        }
        return Nd4j.valueArrayOf(shape, value, dtype);
    }

    /** Zeros and Ones have no parameters; Constant has its value. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (kerasName.equals("constant")) {
            config.put("value", value);
        }
        return config;
    }
}
