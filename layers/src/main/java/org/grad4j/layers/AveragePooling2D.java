package org.grad4j.layers;

import java.util.Map;

/** Keras' AveragePooling2D: inputs {@code [batch, height, width, channels]} (channels_last), the mean of each window; with 'same' padding each window divides by its real (unpadded) cells, as TensorFlow. */
public class AveragePooling2D extends BasePooling<AveragePooling2D> {

    /** A pool of {@code poolSize} (one value repeats over the spatial axes); strides default to it. */
    public AveragePooling2D(int... poolSize) {
        super(2, false, poolSize);
    }

    static AveragePooling2D fromConfig(Map<String, Object> config) {
        return configure(new AveragePooling2D(poolSize("AveragePooling2D", 2, config, null)), config);
    }
}
