package org.grad4j.layers;

import java.util.Map;

/** Keras' GlobalMaxPooling1D: the maximum over the steps of {@code [batch, steps, channels]}, giving {@code [batch, channels]}. */
public class GlobalMaxPooling1D extends BaseGlobalPooling<GlobalMaxPooling1D> {

    public GlobalMaxPooling1D() {
        super(1, true);
    }

    static GlobalMaxPooling1D fromConfig(Map<String, Object> config) {
        return configure(new GlobalMaxPooling1D(), config);
    }
}
