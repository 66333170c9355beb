package org.grad4j.layers;

import java.util.Map;

/** Keras' GlobalAveragePooling1D: the mean over the steps of {@code [batch, steps, channels]}, giving {@code [batch, channels]}. */
public class GlobalAveragePooling1D extends BaseGlobalPooling<GlobalAveragePooling1D> {

    public GlobalAveragePooling1D() {
        super(1, false);
    }

    static GlobalAveragePooling1D fromConfig(Map<String, Object> config) {
        return configure(new GlobalAveragePooling1D(), config);
    }
}
