package org.grad4j.layers;

import java.util.Map;

/** Keras' GlobalAveragePooling2D: the mean over the height and width of {@code [batch, height, width, channels]}, giving {@code [batch, channels]}. */
public class GlobalAveragePooling2D extends BaseGlobalPooling<GlobalAveragePooling2D> {

    public GlobalAveragePooling2D() {
        super(2, false);
    }

    static GlobalAveragePooling2D fromConfig(Map<String, Object> config) {
        return configure(new GlobalAveragePooling2D(), config);
    }
}
