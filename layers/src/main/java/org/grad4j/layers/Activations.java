package org.grad4j.layers;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.grad4j.core.Tensor;
import org.grad4j.registry.Registry;

/**
 * The activations of {@code keras.activations}, with Keras 3's definitions and defaults. Each is a
 * composition of grad4j's gradient-checked {@link Tensor} ops. Users add their own by name in {@link #registry()}.
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

    private static final Registry<ActivationFunction> REGISTRY = new Registry<>("activation", true);

    static {
        for (Activations a : values()) {
            REGISTRY.register(a.kerasName, config -> a);
        }
        REGISTRY.register("silu", config -> SWISH);
    }

    /**
     * The activation of a name, case-insensitive: a Keras name ({@code "relu"}) or one registered in
     * {@link #registry()}; null means linear.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ActivationFunction get(String name) {
        if (name == null) {
            return LINEAR;
        }
        return REGISTRY.create(name, Map.of(), "Activations.get");
    }

    /**
     * The activations {@link #get} knows, by name (any case); register one of your own here and
     * {@code new Dense(8, "my_act")} finds it, and so does loading a model saved with it. The factory gets an
     * empty config; the function's {@link ActivationFunction#kerasName()} must be the registered name, which is
     * what a layer saves:
     *
     * <pre>{@code
     * Activations.registry().register("my_act", config -> ActivationFunction.of("my_act", x -> x.relu().mul(2)));
     * }</pre>
     */
    public static Registry<ActivationFunction> registry() {
        return REGISTRY;
    }
}
