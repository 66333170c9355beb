package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' VarianceScaling, the family behind glorot_*, he_* and lecun_*: samples with variance
 * {@code scale / n}, where n is fan_in, fan_out or their mean. Uniform samples lie in
 * {@code [-limit, limit)} with {@code limit = sqrt(3 scale / n)}; normal ones come from a normal cut at
 * two standard deviations, widened by 1/0.8796... so that the cut samples still have variance
 * {@code scale / n}.
 */
record VarianceScaling(String kerasName, double scale, Mode mode, boolean uniform, Long seed) implements Initializer {
    /** The standard deviation of a unit normal truncated to [-2, 2]. */
    private static final double TRUNCATED_STDDEV = 0.87962566103423978;

    enum Mode { FAN_IN, FAN_OUT, FAN_AVG }

    @Override
    public INDArray init(long[] shape, DataType dtype) {
        long[] fans = fans(shape);
        double n = switch (mode) {
            case FAN_IN -> fans[0];
            case FAN_OUT -> fans[1];
            case FAN_AVG -> (fans[0] + fans[1]) / 2.0;
        };
        double variance = scale / Math.max(1.0, n);
        SplittableRandom random = new SplittableRandom(seed != null ? seed : Seeds.nextSeed());
        if (uniform) {
            double limit = Math.sqrt(3.0 * variance);
            return Initializers.fill(shape, dtype, () -> limit * (2 * random.nextDouble() - 1));
        }
        double stddev = Math.sqrt(variance) / TRUNCATED_STDDEV;
        return Initializers.fill(shape, dtype, () -> stddev * TruncatedNormal.standardTruncated(random));
    }

    /** Keras' {@code compute_fans}: [in, out] for a matrix; a convolution's receptive field multiplies both. */
    static long[] fans(long[] shape) {
        if (shape.length == 0) {
            return new long[] {1, 1};
        }
        if (shape.length == 1) {
            return new long[] {shape[0], shape[0]};
        }
        long receptiveField = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptiveField *= shape[i];
        }
        return new long[] {shape[shape.length - 2] * receptiveField, shape[shape.length - 1] * receptiveField};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("seed", seed);
        return config;
    }
}
