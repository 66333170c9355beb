package org.grad4j.layers;

import java.util.Map;
import java.util.Objects;
import org.grad4j.core.ConvolutionOps;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.Windows;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' BaseConv for channels_last inputs: {@code activation(conv(inputs, kernel) + bias)}, a cross-correlation
 * (no kernel flip) with kernel {@code kernel_size + (in / groups, filters)} (glorot_uniform) and bias
 * {@code (filters,)} (zeros). Inputs {@code [batch, spatial..., in]} give {@code [batch, outSpatial..., filters]};
 * sizes and the 'same' padding follow {@link Windows}. Subclasses fix the number of spatial axes.
 *
 * @param <T> the subclass, so that the fluent setters return it
 */
public abstract class BaseConv<T extends BaseConv<T>> extends Layer {
    private final int rank;
    private final int filters;
    private final int[] kernelSize;
    private int[] strides;
    private int[] dilationRate;
    private String padding = "valid";
    private int groups = 1;
    private ActivationFunction activation = Activations.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Variable kernel;
    private Variable bias;

    protected BaseConv(int rank, int filters, int... kernelSize) {
        this.rank = rank;
        if (filters <= 0) {
            throw invalidArgument(className() + ": filters must be a positive integer, got " + filters);
        }
        this.filters = filters;
        try {
            this.kernelSize = ConvArguments.tuple(className(), "kernel_size", rank, kernelSize);
        } catch (IllegalArgumentException e) {
            throw invalidArgument(e.getMessage());
        }
        this.strides = ConvArguments.tuple(className(), "strides", rank, 1);
        this.dilationRate = ConvArguments.tuple(className(), "dilation_rate", rank, 1);
        inputSpec(new InputSpec(rank + 2, rank + 2, Map.of(), ConvArguments.layout(rank)));
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** Strides per spatial axis; one value repeats (default 1). Keras rejects strides > 1 with dilation > 1. */
    public T strides(int... strides) {
        requireNotBuilt("strides");
        int[] s = ConvArguments.tuple(describe(), "strides", rank, strides);
        checkStridesWithDilation(s, dilationRate);
        this.strides = s;
        return self();
    }

    /** {@code "valid"} (default) or {@code "same"}. */
    public T padding(String padding) {
        requireNotBuilt("padding");
        this.padding = ConvArguments.padding(describe(), padding);
        return self();
    }

    /** Dilation per spatial axis; one value repeats (default 1). */
    public T dilationRate(int... dilationRate) {
        requireNotBuilt("dilationRate");
        int[] d = ConvArguments.tuple(describe(), "dilation_rate", rank, dilationRate);
        checkStridesWithDilation(strides, d);
        this.dilationRate = d;
        return self();
    }

    /** Channel groups (default 1): input channels and filters split into independent convolutions. */
    public T groups(int groups) {
        requireNotBuilt("groups");
        if (groups < 1 || filters % groups != 0) {
            throw new IllegalArgumentException(describe() + ": groups must be a positive divisor of filters " + filters
                    + ", got " + groups);
        }
        this.groups = groups;
        return self();
    }

    /** An activation by Keras name; null means linear. */
    public T activation(String activation) {
        return activation(Activations.get(activation));
    }

    /** An activation; null means linear. */
    public T activation(ActivationFunction activation) {
        requireNotBuilt("activation");
        this.activation = activation == null ? Activations.LINEAR : activation;
        return self();
    }

    public T useBias(boolean useBias) {
        requireNotBuilt("useBias");
        this.useBias = useBias;
        return self();
    }

    public T kernelInitializer(Initializer initializer) {
        requireNotBuilt("kernelInitializer");
        this.kernelInitializer = Objects.requireNonNull(initializer, "kernelInitializer");
        return self();
    }

    public T biasInitializer(Initializer initializer) {
        requireNotBuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(initializer, "biasInitializer");
        return self();
    }

    public T kernelRegularizer(Regularizer regularizer) {
        requireNotBuilt("kernelRegularizer");
        this.kernelRegularizer = regularizer;
        return self();
    }

    public T biasRegularizer(Regularizer regularizer) {
        requireNotBuilt("biasRegularizer");
        this.biasRegularizer = regularizer;
        return self();
    }

    @Override
    public T name(String name) {
        super.name(name);
        return self();
    }

    @Override
    public T dtype(DataType dtype) {
        super.dtype(dtype);
        return self();
    }

    private void checkStridesWithDilation(int[] s, int[] d) {
        boolean strided = false;
        boolean dilated = false;
        for (int i = 0; i < rank; i++) {
            strided |= s[i] > 1;
            dilated |= d[i] > 1;
        }
        if (strided && dilated) {
            throw new IllegalArgumentException(describe() + ": strides > 1 cannot be combined with dilation_rate > 1 "
                    + "(as in Keras), got strides " + ConvArguments.list(s) + " and dilation_rate " + ConvArguments.list(d));
        }
    }

    public int filters() {
        return filters;
    }

    /** The activation applied after the bias (linear by default), as {@link Dense#activation()}. */
    public ActivationFunction activation() {
        return activation;
    }

    /** The kernel {@code kernel_size + (in / groups, filters)}, or null before build. */
    public Variable kernel() {
        return kernel;
    }

    /** The bias {@code [filters]}, or null before build or without bias. */
    public Variable bias() {
        return bias;
    }

    @Override
    public void build(long... inputShape) {
        checkInput(inputShape);
        long in = inputShape[inputShape.length - 1];
        if (in <= 0) {
            throw new IllegalArgumentException(describe() + ": the input's channels (last axis, channels_last) must be known "
                    + "to build, got shape " + Shapes.format(inputShape));
        }
        if (in % groups != 0) {
            throw new IllegalArgumentException(describe() + ": input channels " + in + " (shape " + Shapes.format(inputShape)
                    + ") must divide by groups " + groups);
        }
        computeOutputShape(inputShape);   // a window larger than the input fails here, before any weight exists
        long[] kernelShape = new long[rank + 2];
        for (int i = 0; i < rank; i++) {
            kernelShape[i] = kernelSize[i];
        }
        kernelShape[rank] = in / groups;
        kernelShape[rank + 1] = filters;
        kernel = addWeight("kernel", kernelShape, kernelInitializer, true, kernelRegularizer);
        bias = useBias ? addWeight("bias", new long[] {filters}, biasInitializer, true, biasRegularizer) : null;
        inputSpec(new InputSpec(rank + 2, rank + 2, Map.of(-1, in), "(channels_last; kernel " + Shapes.format(kernelShape)
                + (groups > 1 ? ", groups " + groups : "") + ")"));
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        computeOutputShape(inputs.shape());
        boolean relu = activation == Activations.RELU;
        Tensor out = ConvolutionOps.conv(inputs, kernel, bias, relu, strides, padding.equals("same"), dilationRate, groups);
        return relu ? out : activation.apply(out);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        long[] out = inputShape.clone();
        for (int i = 0; i < rank; i++) {
            long n = inputShape[1 + i];
            out[1 + i] = Windows.outputSize(n, kernelSize[i], strides[i], dilationRate[i], padding.equals("same"));
            if (n >= 0 && out[1 + i] <= 0) {
                throw new IllegalArgumentException(describe() + ": the kernel " + ConvArguments.list(kernelSize)
                        + " (dilation_rate " + ConvArguments.list(dilationRate) + ") is larger than the input " + Shapes.format(inputShape)
                        + " with 'valid' padding; use padding(\"same\") or a larger input");
            }
        }
        out[rank + 1] = filters;
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("filters", filters);
        config.put("kernel_size", ConvArguments.list(kernelSize));
        config.put("strides", ConvArguments.list(strides));
        config.put("padding", padding);
        config.put("data_format", "channels_last");
        config.put("dilation_rate", ConvArguments.list(dilationRate));
        config.put("groups", groups);
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        config.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        config.put("bias_initializer", Initializers.serialize(biasInitializer));
        config.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
        config.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
        config.put("activity_regularizer", null);
        config.put("kernel_constraint", null);
        config.put("bias_constraint", null);
        return config;
    }

    /** Applies the Keras config's optional arguments to a layer made from its filters and kernel_size. */
    static <L extends BaseConv<L>> L configure(L layer, Map<String, Object> config) {
        String owner = layer.className() + ".fromConfig";
        ConvArguments.requireChannelsLast(owner, config);
        ConfigReader read = new ConfigReader(owner, config);
        if (config.get("strides") != null) {
            layer.strides(ConvArguments.fromConfig(owner, "strides", ((BaseConv<?>) layer).rank, config.get("strides")));
        }
        if (config.get("dilation_rate") != null) {
            layer.dilationRate(ConvArguments.fromConfig(owner, "dilation_rate", ((BaseConv<?>) layer).rank, config.get("dilation_rate")));
        }
        layer.padding(read.string("padding", "valid"));
        layer.groups(read.integer("groups", 1));
        Object activation = config.get("activation");
        layer.activation(activation == null ? null : activation.toString());
        layer.useBias(read.bool("use_bias", true));
        if (config.get("kernel_initializer") != null) {
            layer.kernelInitializer(Initializers.deserialize(config.get("kernel_initializer")));
        }
        if (config.get("bias_initializer") != null) {
            layer.biasInitializer(Initializers.deserialize(config.get("bias_initializer")));
        }
        layer.kernelRegularizer(Regularizers.deserialize(config.get("kernel_regularizer")));
        layer.biasRegularizer(Regularizers.deserialize(config.get("bias_regularizer")));
        return layer;
    }

    static int[] kernelSize(String className, int rank, Map<String, Object> config) {
        Object size = config.get("kernel_size");
        if (size == null) {
            throw new IllegalArgumentException(className + ".fromConfig: the config has no \"kernel_size\"");
        }
        return ConvArguments.fromConfig(className + ".fromConfig", "kernel_size", rank, size);
    }
}
