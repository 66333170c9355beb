package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras 3's TruncatedNormal: N(mean, stddev²) samples, a sample more than two stddev from the mean redrawn.
 * Unlike the variance-scaling family it is not widened afterwards, so the samples' standard deviation is
 * about 0.88 stddev, as in Keras.
 */
record TruncatedNormal(double mean, double stddev, Long seed) implements Initializer {

    TruncatedNormal {
        if (!(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("Initializers.truncatedNormal: stddev must be a finite value >= 0, got " + stddev);
        }
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("Initializers.truncatedNormal: mean must be finite, got " + mean);
        }
    }

    @Override
    public INDArray init(long[] shape, DataType dtype) {
        SplittableRandom random = new SplittableRandom(seed != null ? seed : Seeds.nextSeed());
        return Initializers.fill(shape, dtype, () -> mean + stddev * standardTruncated(random));
    }

    /** A standard normal sample redrawn until it lies within two standard deviations. */
    static double standardTruncated(SplittableRandom random) {
        double z;
        do {
            z = Seeds.gaussian(random);
        } while (Math.abs(z) > 2.0);
        return z;
    }

    @Override
    public String kerasName() {
        return "truncated_normal";
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
