package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras 3's Identity: {@code gain * eye(rows, cols)}, for 2-D shapes only (rectangular ones too). */
record IdentityInitializer(double gain) implements Initializer {

    IdentityInitializer {
        if (!Double.isFinite(gain)) {
            throw new IllegalArgumentException("Initializers.identity: gain must be finite, got " + gain);
        }
    }

    @Override
    public INDArray init(long[] shape, DataType dtype) {
        Initializers.requireFloating(dtype);
        if (shape.length != 2) {
            throw new IllegalArgumentException("Initializers.identity: Identity matrix initializer can only be used for 2D "
                    + "matrices. Received: shape=" + Shapes.format(shape) + " of rank " + shape.length + ".");
        }
        long cols = shape[1];
        long[] index = {0};
        return Initializers.fill(shape, dtype, () -> {
            long i = index[0]++;
            return i / cols == i % cols ? gain : 0.0;
        });
    }

    @Override
    public String kerasName() {
        return "identity";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("gain", gain);
        return config;
    }
}
