package org.grad4j.layers;

import java.util.Map;
import java.util.Objects;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.core.NeuralNetOps;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' Dense: {@code activation(inputs · kernel + bias)} with kernel {@code [in, units]} (glorot_uniform)
 * and bias {@code [units]} (zeros). Inputs {@code [batch, in]} give {@code [batch, units]}; a rank-3+ input
 * {@code [batch, ..., in]} is transformed along its last axis, still as one GEMM.
 */
public class Dense extends Layer {
    private final int units;
    private final ActivationFunction activation;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Variable kernel;
    private Variable bias;

    /** A linear layer with bias. */
    public Dense(int units) {
        this(units, Activations.LINEAR);
    }

    /** With an activation by Keras name ({@code "relu"}); null means linear. */
    public Dense(int units, String activation) {
        this(units, Activations.get(activation));
    }

    /** With an activation; null means linear. */
    public Dense(int units, ActivationFunction activation) {
        if (units <= 0) {
            throw invalidArgument("Dense: units must be a positive integer, got " + units);
        }
        this.units = units;
        this.activation = activation == null ? Activations.LINEAR : activation;
        inputSpec(InputSpec.atLeastRank(2));
    }

    /** Whether to add a bias (default true). */
    public Dense useBias(boolean useBias) {
        requireNotBuilt("useBias");
        this.useBias = useBias;
        return this;
    }

    /** Initial values of the kernel {@code [in, units]} (default glorot_uniform, unseeded). */
    public Dense kernelInitializer(Initializer initializer) {
        requireNotBuilt("kernelInitializer");
        this.kernelInitializer = Objects.requireNonNull(initializer, "kernelInitializer");
        return this;
    }

    /** Initial values of the bias {@code [units]} (default zeros). */
    public Dense biasInitializer(Initializer initializer) {
        requireNotBuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(initializer, "biasInitializer");
        return this;
    }

    /** A penalty on the kernel (null for none), reported by {@link #losses()}. */
    public Dense kernelRegularizer(Regularizer regularizer) {
        requireNotBuilt("kernelRegularizer");
        this.kernelRegularizer = regularizer;
        return this;
    }

    /** A penalty on the bias (null for none), reported by {@link #losses()}. */
    public Dense biasRegularizer(Regularizer regularizer) {
        requireNotBuilt("biasRegularizer");
        this.biasRegularizer = regularizer;
        return this;
    }

    @Override
    public Dense name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public Dense dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    /** The output width. */
    public int units() {
        return units;
    }

    public ActivationFunction activation() {
        return activation;
    }

    /** The kernel {@code [in, units]}, or null before build. */
    public Variable kernel() {
        return kernel;
    }

    /** The bias {@code [units]}, or null before build or without bias. */
    public Variable bias() {
        return bias;
    }

    @Override
    public void build(long... inputShape) {
        checkInput(inputShape);
        long in = inputShape[inputShape.length - 1];
        if (in <= 0) {
            throw new IllegalArgumentException(describe() + ": the input's last dimension must be known to build, got shape "
                    + Shapes.format(inputShape));
        }
        kernel = addWeight("kernel", new long[] {in, units}, kernelInitializer, true, kernelRegularizer);
        bias = useBias ? addWeight("bias", new long[] {units}, biasInitializer, true, biasRegularizer) : null;
        inputSpec(InputSpec.lastDimension(2, in, "(kernel " + Shapes.format(kernel.shape()) + ")"));
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        if (activation == Activations.LINEAR || activation == Activations.RELU) {
            // one GEMM and one fused pass for the bias and the ReLU (and one masked pass back)
            return NeuralNetOps.dense(inputs, kernel, useBias ? bias : null, activation == Activations.RELU);
        }
        Tensor z = inputs.matmul(kernel);
        return activation.apply(useBias ? z.add(bias) : z);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        long[] out = inputShape.clone();
        out[out.length - 1] = units;
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("units", units);
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        config.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        config.put("bias_initializer", Initializers.serialize(biasInitializer));
        config.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
        config.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
        return config;
    }

    static Dense fromConfig(Map<String, Object> config) {
        ConfigReader read = new ConfigReader("Dense.fromConfig", config);
        Object activation = config.get("activation");
        Dense dense = new Dense(read.integer("units"), Activations.get(activation == null ? null : activation.toString()))
                .useBias(read.bool("use_bias", true))
                .kernelRegularizer(Regularizers.deserialize(config.get("kernel_regularizer")))
                .biasRegularizer(Regularizers.deserialize(config.get("bias_regularizer")));
        if (config.get("kernel_initializer") != null) {
            dense.kernelInitializer(Initializers.deserialize(config.get("kernel_initializer")));
        }
        if (config.get("bias_initializer") != null) {
            dense.biasInitializer(Initializers.deserialize(config.get("bias_initializer")));
        }
        return dense;
    }

    /** As Keras' {@code supports_masking = True}: each step is handled on its own, so a mask passes through. */
    @Override
    public boolean supportsMasking() {
        return true;
    }
}
