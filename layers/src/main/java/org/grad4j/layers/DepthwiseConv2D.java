package org.grad4j.layers;

import java.util.Map;
import java.util.Objects;
import org.grad4j.core.ConvolutionOps;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.Windows;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' DepthwiseConv2D: each input channel convolved with its own {@code depth_multiplier} filters, kernel
 * {@code (kh, kw, in, depth_multiplier)}, output channel {@code c * depth_multiplier + m}; bias
 * {@code (in * depth_multiplier,)}. It is the grouped convolution with one group per input channel.
 */
public class DepthwiseConv2D extends Layer {
    private final int[] kernelSize;
    private int[] strides = {1, 1};
    private int[] dilationRate = {1, 1};
    private String padding = "valid";
    private int depthMultiplier = 1;
    private ActivationFunction activation = Activations.LINEAR;
    private boolean useBias = true;
    private Initializer depthwiseInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Variable kernel;
    private Variable bias;

    public DepthwiseConv2D(int... kernelSize) {
        try {
            this.kernelSize = ConvArguments.tuple("DepthwiseConv2D", "kernel_size", 2, kernelSize);
        } catch (IllegalArgumentException e) {
            throw invalidArgument(e.getMessage());
        }
        inputSpec(new InputSpec(4, 4, Map.of(), ConvArguments.layout(2)));
    }

    public DepthwiseConv2D strides(int... strides) {
        requireNotBuilt("strides");
        this.strides = ConvArguments.tuple(describe(), "strides", 2, strides);
        return this;
    }

    public DepthwiseConv2D dilationRate(int... dilationRate) {
        requireNotBuilt("dilationRate");
        this.dilationRate = ConvArguments.tuple(describe(), "dilation_rate", 2, dilationRate);
        return this;
    }

    public DepthwiseConv2D padding(String padding) {
        requireNotBuilt("padding");
        this.padding = ConvArguments.padding(describe(), padding);
        return this;
    }

    public DepthwiseConv2D depthMultiplier(int depthMultiplier) {
        requireNotBuilt("depthMultiplier");
        if (depthMultiplier < 1) {
            throw new IllegalArgumentException(describe() + ": depth_multiplier must be positive, got " + depthMultiplier);
        }
        this.depthMultiplier = depthMultiplier;
        return this;
    }

    public DepthwiseConv2D activation(String activation) {
        requireNotBuilt("activation");
        this.activation = Activations.get(activation);
        return this;
    }

    public DepthwiseConv2D useBias(boolean useBias) {
        requireNotBuilt("useBias");
        this.useBias = useBias;
        return this;
    }

    public DepthwiseConv2D depthwiseInitializer(Initializer initializer) {
        requireNotBuilt("depthwiseInitializer");
        this.depthwiseInitializer = Objects.requireNonNull(initializer, "depthwiseInitializer");
        return this;
    }

    public DepthwiseConv2D biasInitializer(Initializer initializer) {
        requireNotBuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(initializer, "biasInitializer");
        return this;
    }

    @Override
    public DepthwiseConv2D dtype(org.nd4j.linalg.api.buffer.DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    public Variable kernel() {
        return kernel;
    }

    @Override
    public void build(long... inputShape) {
        checkInput(inputShape);
        long in = inputShape[3];
        if (in <= 0) {
            throw new IllegalArgumentException(describe() + ": the input's channels (last axis) must be known to build, got "
                    + Shapes.format(inputShape));
        }
        computeOutputShape(inputShape);
        kernel = addWeight("kernel", new long[] {kernelSize[0], kernelSize[1], in, depthMultiplier}, depthwiseInitializer, true);
        bias = useBias ? addWeight("bias", new long[] {in * depthMultiplier}, biasInitializer, true) : null;
        inputSpec(new InputSpec(4, 4, Map.of(-1, in), "(channels_last; kernel " + Shapes.format(kernel.shape()) + ")"));
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        computeOutputShape(inputs.shape());
        long in = inputs.shape()[3];
        Tensor grouped = kernel.reshape(kernelSize[0], kernelSize[1], 1, in * depthMultiplier);
        boolean relu = activation == Activations.RELU;
        Tensor out = ConvolutionOps.conv(inputs, grouped, bias, relu, strides, padding.equals("same"), dilationRate, (int) in);
        return relu ? out : activation.apply(out);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        long[] out = inputShape.clone();
        for (int i = 0; i < 2; i++) {
            out[1 + i] = Windows.outputSize(inputShape[1 + i], kernelSize[i], strides[i], dilationRate[i], padding.equals("same"));
            if (inputShape[1 + i] >= 0 && out[1 + i] <= 0) {
                throw new IllegalArgumentException(describe() + ": the kernel " + ConvArguments.list(kernelSize)
                        + " (dilation_rate " + ConvArguments.list(dilationRate) + ") is larger than the input "
                        + Shapes.format(inputShape) + " with 'valid' padding; use padding(\"same\") or a larger input");
            }
        }
        out[3] = inputShape[3] < 0 ? -1 : inputShape[3] * depthMultiplier;
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("kernel_size", ConvArguments.list(kernelSize));
        config.put("strides", ConvArguments.list(strides));
        config.put("padding", padding);
        config.put("depth_multiplier", depthMultiplier);
        config.put("data_format", "channels_last");
        config.put("dilation_rate", ConvArguments.list(dilationRate));
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        config.put("depthwise_initializer", Initializers.serialize(depthwiseInitializer));
        config.put("bias_initializer", Initializers.serialize(biasInitializer));
        config.put("depthwise_regularizer", null);
        config.put("bias_regularizer", null);
        config.put("activity_regularizer", null);
        config.put("depthwise_constraint", null);
        config.put("bias_constraint", null);
        return config;
    }

    static DepthwiseConv2D fromConfig(Map<String, Object> config) {
        String owner = "DepthwiseConv2D.fromConfig";
        ConvArguments.requireChannelsLast(owner, config);
        ConfigReader read = new ConfigReader(owner, config);
        Object size = config.get("kernel_size");
        if (size == null) {
            throw new IllegalArgumentException(owner + ": the config has no \"kernel_size\"");
        }
        DepthwiseConv2D layer = new DepthwiseConv2D(ConvArguments.fromConfig(owner, "kernel_size", 2, size))
                .padding(read.string("padding", "valid")).depthMultiplier(read.integer("depth_multiplier", 1))
                .useBias(read.bool("use_bias", true));
        if (config.get("strides") != null) {
            layer.strides(ConvArguments.fromConfig(owner, "strides", 2, config.get("strides")));
        }
        if (config.get("dilation_rate") != null) {
            layer.dilationRate(ConvArguments.fromConfig(owner, "dilation_rate", 2, config.get("dilation_rate")));
        }
        Object activation = config.get("activation");
        layer.activation(activation == null ? null : activation.toString());
        if (config.get("depthwise_initializer") != null) {
            layer.depthwiseInitializer(Initializers.deserialize(config.get("depthwise_initializer")));
        }
        if (config.get("bias_initializer") != null) {
            layer.biasInitializer(Initializers.deserialize(config.get("bias_initializer")));
        }
        return layer;
    }
}
