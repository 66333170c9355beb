package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' Conv1DTranspose: inputs {@code [batch, steps, channels]} (channels_last), kernel {@code (k, filters, in)};
 * {@code new Conv1DTranspose(8, 3).strides(2).padding("same")} doubles the steps.
 */
public class Conv1DTranspose extends BaseConvTranspose<Conv1DTranspose> {

    public Conv1DTranspose(int filters, int kernelSize) {
        super(1, filters, kernelSize);
    }

    static Conv1DTranspose fromConfig(Map<String, Object> config) {
        int filters = new ConfigReader("Conv1DTranspose.fromConfig", config).integer("filters");
        return configure(new Conv1DTranspose(filters, ConvolutionLayer.kernelSize("Conv1DTranspose", 1, config)[0]), config);
    }
}
