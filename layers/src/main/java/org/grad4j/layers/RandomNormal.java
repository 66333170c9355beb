package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras' RandomNormal: N(mean, stddev²) samples, not truncated. */
record RandomNormal(double mean, double stddev, Long seed) implements Initializer {

    RandomNormal {
        if (!(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("Initializers.randomNormal: stddev must be a finite value >= 0, got " + stddev);
        }
    }

    @Override
    public INDArray init(long[] shape, DataType dtype) {
        SplittableRandom random = new SplittableRandom(seed != null ? seed : Seeds.nextSeed());
        return Initializers.fill(shape, dtype, () -> mean + stddev * Seeds.gaussian(random));
    }

    @Override
    public String kerasName() {
        return "random_normal";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("mean", mean);
        config.put("stddev", stddev);
        config.put("seed", seed);
        return config;
    }
}
