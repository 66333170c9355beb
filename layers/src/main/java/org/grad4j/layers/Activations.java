package org.grad4j.layers;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.grad4j.core.Tensor;

/**
 * The activations of {@code keras.activations}, with Keras 3's definitions and defaults. Each is a
 * composition of grad4j's gradient-checked {@link Tensor} ops.
 */
public enum Activations implements ActivationFunction {
    /** The identity. */
    LINEAR("linear", x -> x),
    RELU("relu", Tensor::relu),
    SIGMOID("sigmoid", Tensor::sigmoid),
    TANH("tanh", Tensor::tanh),
    /** Over the last axis. */
    SOFTMAX("softmax", x -> x.softmax(-1)),
    /** Over the last axis. */
    LOG_SOFTMAX("log_softmax", x -> x.logSoftmax(-1)),
    /** {@code keras.activations.leaky_relu}: negative_slope 0.2 (the layer LeakyReLU uses 0.3). */
    LEAKY_RELU("leaky_relu", x -> x.leakyRelu(0.2)),
    /** alpha 1. */
    ELU("elu", x -> x.elu(1.0)),
    SELU("selu", Tensor::selu),
    /** The exact form {@code x * Phi(x)} (Keras' default, approximate=False). */
    GELU("gelu", x -> x.gelu(false)),
    SOFTPLUS("softplus", Tensor::softplus),
    SOFTSIGN("softsign", Tensor::softsign),
    /** {@code x * sigmoid(x)}; {@link #get} also accepts the name "silu". */
    SWISH("swish", Tensor::swish),
    /** Keras 3's {@code relu6(x + 3) / 6}. */
    HARD_SIGMOID("hard_sigmoid", Tensor::hardSigmoid);

    private final String kerasName;
    private final UnaryOperator<Tensor> function;

    Activations(String kerasName, UnaryOperator<Tensor> function) {
        this.kerasName = kerasName;
        this.function = function;
    }

    @Override
    public Tensor apply(Tensor x) {
        return function.apply(x);
    }

    @Override
    public String kerasName() {
        return kerasName;
    }

    /**
     * The activation of a Keras name, case-insensitive; null means linear.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Activations get(String name) {
        if (name == null) {
            return LINEAR;
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("silu")) {
            return SWISH;
        }
        for (Activations a : values()) {
            if (a.kerasName.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("Activations.get: unknown activation \"" + name + "\" (known: "
                + Arrays.stream(values()).map(Activations::kerasName).collect(Collectors.joining(", ")) + ", silu)");
    }
}
