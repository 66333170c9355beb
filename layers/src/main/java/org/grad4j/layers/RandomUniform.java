package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras' RandomUniform: samples of U[minval, maxval). */
record RandomUniform(double minval, double maxval, Long seed) implements Initializer {

    RandomUniform {
        if (!(minval <= maxval) || Double.isInfinite(minval) || Double.isInfinite(maxval)) {
            throw new IllegalArgumentException("Initializers.randomUniform: need finite min <= max, got min " + minval
                    + " and max " + maxval);
        }
    }

    @Override
    public INDArray init(long[] shape, DataType dtype) {
        SplittableRandom random = new SplittableRandom(seed != null ? seed : Seeds.nextSeed());
        return Initializers.fill(shape, dtype, () -> minval + (maxval - minval) * random.nextDouble());
    }

    @Override
    public String kerasName() {
        return "random_uniform";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("minval", minval);
        config.put("maxval", maxval);
        config.put("seed", seed);
        return config;
    }
}
