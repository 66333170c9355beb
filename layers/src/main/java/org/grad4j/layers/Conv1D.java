package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' Conv1D: inputs {@code [batch, steps, channels]} (channels_last), kernel {@code (k, in / groups, filters)}.
 * Keras' {@code causal} padding is not supported.
 */
public class Conv1D extends BaseConv<Conv1D> {

    public Conv1D(int filters, int kernelSize) {
        super(1, filters, kernelSize);
    }

    static Conv1D fromConfig(Map<String, Object> config) {
        int filters = new ConfigReader("Conv1D.fromConfig", config).integer("filters");
        return configure(new Conv1D(filters, kernelSize("Conv1D", 1, config)[0]), config);
    }
}
