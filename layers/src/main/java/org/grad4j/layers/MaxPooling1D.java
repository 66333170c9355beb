package org.grad4j.layers;

import java.util.Map;

/** Keras' MaxPooling1D: inputs {@code [batch, steps, channels]} (channels_last), the maximum of each window; padded cells never win. */
public class MaxPooling1D extends BasePooling<MaxPooling1D> {

    /** Keras' default pool size 2. */
    public MaxPooling1D() {
        this(2);
    }

    /** A pool of {@code poolSize} (one value repeats over the spatial axes); strides default to it. */
    public MaxPooling1D(int... poolSize) {
        super(1, true, poolSize);
    }

    static MaxPooling1D fromConfig(Map<String, Object> config) {
        return configure(new MaxPooling1D(poolSize("MaxPooling1D", 1, config, 2)), config);
    }
}
