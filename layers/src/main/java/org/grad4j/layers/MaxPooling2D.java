package org.grad4j.layers;

import java.util.Map;

/** Keras' MaxPooling2D: inputs {@code [batch, height, width, channels]} (channels_last), the maximum of each window; padded cells never win. */
public class MaxPooling2D extends BasePooling<MaxPooling2D> {

    /** Keras' default pool size 2 x 2. */
    public MaxPooling2D() {
        this(2);
    }

    /** A pool of {@code poolSize} (one value repeats over the spatial axes); strides default to it. */
    public MaxPooling2D(int... poolSize) {
        super(2, true, poolSize);
    }

    static MaxPooling2D fromConfig(Map<String, Object> config) {
        return configure(new MaxPooling2D(poolSize("MaxPooling2D", 2, config, 2)), config);
    }
}
