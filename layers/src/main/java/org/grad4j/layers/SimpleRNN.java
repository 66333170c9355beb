package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' SimpleRNN: {@code h_t = activation(x_t · kernel + h_{t-1} · recurrent_kernel + bias)} with {@code h_0 = 0};
 * kernel {@code [features, units]}, recurrent_kernel {@code [units, units]}, bias {@code [units]}. See
 * {@link RecurrentLayer} for the options.
 */
public class SimpleRNN extends RecurrentLayer<SimpleRNN> {

    /** With tanh, Keras' default. */
    public SimpleRNN(int units) {
        this(units, Activations.get("tanh"));
    }

    /** With an activation by Keras name; null means linear. */
    public SimpleRNN(int units, String activation) {
        this(units, Activations.get(activation));
    }

    public SimpleRNN(int units, ActivationFunction activation) {
        super(units, activation);
    }

    @Override
    protected int gates() {
        return 1;
    }

    @Override
    protected Step step() {
        return (projected, states) -> List.of(activation.apply(projected.add(states.get(0).matmul(recurrentKernel()))));
    }

    static SimpleRNN fromConfig(Map<String, Object> config) {
        int units = new ConfigReader("SimpleRNN.fromConfig", config).integer("units");
        return readCommon(new SimpleRNN(units, activation(config, "activation", "tanh")), config);
    }
}
