package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' Conv2DTranspose: inputs {@code [batch, height, width, channels]} (channels_last), kernel
 * {@code (kh, kw, filters, in)}. {@code new Conv2DTranspose(16, 3).strides(2).padding("same")} doubles the height
 * and width: {@code [batch, 7, 7, 32]} gives {@code [batch, 14, 14, 16]}.
 */
public class Conv2DTranspose extends BaseConvTranspose<Conv2DTranspose> {

    /** {@code filters} output channels, a square {@code kernelSize} or {@code (kh, kw)}. */
    public Conv2DTranspose(int filters, int... kernelSize) {
        super(2, filters, kernelSize);
    }

    static Conv2DTranspose fromConfig(Map<String, Object> config) {
        int filters = new ConfigReader("Conv2DTranspose.fromConfig", config).integer("filters");
        return configure(new Conv2DTranspose(filters, ConvolutionLayer.kernelSize("Conv2DTranspose", 2, config)), config);
    }
}
