package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' Conv2D: inputs {@code [batch, height, width, channels]} (channels_last), kernel
 * {@code (kh, kw, in / groups, filters)}. {@code new Conv2D(32, 3).padding("same").strides(2).activation("relu")}.
 */
public class Conv2D extends BaseConv<Conv2D> {

    /** {@code filters} output channels, a square {@code kernelSize} or {@code (kh, kw)}. */
    public Conv2D(int filters, int... kernelSize) {
        super(2, filters, kernelSize);
    }

    static Conv2D fromConfig(Map<String, Object> config) {
        int filters = new ConfigReader("Conv2D.fromConfig", config).integer("filters");
        return configure(new Conv2D(filters, kernelSize("Conv2D", 2, config)), config);
    }
}
