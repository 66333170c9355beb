package org.grad4j.layers;

import java.util.Map;

/** Keras' AveragePooling1D: inputs {@code [batch, steps, channels]} (channels_last), the mean of each window; with 'same' padding each window divides by its real (unpadded) cells, as TensorFlow. */
public class AveragePooling1D extends BasePooling<AveragePooling1D> {

    /** A pool of {@code poolSize} (one value repeats over the spatial axes); strides default to it. */
    public AveragePooling1D(int... poolSize) {
        super(1, false, poolSize);
    }

    static AveragePooling1D fromConfig(Map<String, Object> config) {
        return configure(new AveragePooling1D(poolSize("AveragePooling1D", 1, config, null)), config);
    }
}
