package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/** Keras' Activation layer: applies an activation function; the output has the input's shape. */
public class Activation extends Layer {
    private final ActivationFunction activation;

    /** By Keras name ({@code "softmax"}); null means linear. */
    public Activation(String activation) {
        this(Activations.get(activation));
    }

    /** Null means linear. */
    public Activation(ActivationFunction activation) {
        this.activation = activation == null ? Activations.LINEAR : activation;
    }

    public ActivationFunction activation() {
        return activation;
    }

    @Override
    public Activation name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public Activation dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        return activation.apply(inputs);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        return inputShape.clone();
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("activation", activation.kerasName());
        return config;
    }

    static Activation fromConfig(Map<String, Object> config) {
        Object activation = config.get("activation");
        return new Activation(activation == null ? null : activation.toString());
    }

    /** As Keras' {@code supports_masking = True}: each step is handled on its own, so a mask passes through. */
    @Override
    public boolean supportsMasking() {
        return true;
    }
}
