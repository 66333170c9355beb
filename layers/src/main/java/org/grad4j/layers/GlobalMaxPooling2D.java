package org.grad4j.layers;

import java.util.Map;

/** Keras' GlobalMaxPooling2D: the maximum over the height and width of {@code [batch, height, width, channels]}, giving {@code [batch, channels]}. */
public class GlobalMaxPooling2D extends BaseGlobalPooling<GlobalMaxPooling2D> {

    public GlobalMaxPooling2D() {
        super(2, true);
    }

    static GlobalMaxPooling2D fromConfig(Map<String, Object> config) {
        return configure(new GlobalMaxPooling2D(), config);
    }
}
