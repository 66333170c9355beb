package org.grad4j.layers;

import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Shapes;
import org.grad4j.core.Variable;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What Keras' convolutions and transposed convolutions share: filters, kernel size, strides, padding, dilation,
 * activation, bias, initializers and regularizers, their fluent setters and config keys, and the kernel and bias
 * weights. The subclasses differ in the kernel's layout, the output size and the op.
 *
 * @param <T> the subclass, so that the fluent setters return it
 */
public abstract class ConvolutionLayer<T extends ConvolutionLayer<T>> extends Layer {
    final int rank;
    final int filters;
    final int[] kernelSize;
    int[] strides;
    int[] dilationRate;
    String padding = "valid";
    ActivationFunction activation = Activations.LINEAR;
    boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform();
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    Variable kernel;
    Variable bias;

    ConvolutionLayer(int rank, int filters, int... kernelSize) {
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
    final T self() {
        return (T) this;
    }

    /** Strides per spatial axis; one value repeats (default 1). Keras rejects strides > 1 with dilation > 1. */
    public T strides(int... strides) {
        requireNotBuilt("strides");
        int[] s = ConvArguments.tuple(describe(), "strides", rank, strides);
        checkArguments(s, dilationRate);
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
        checkArguments(strides, d);
        this.dilationRate = d;
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

    /** Keras' constructor check, run whenever strides or dilation change: no strides > 1 with dilation > 1. */
    void checkArguments(int[] s, int[] d) {
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

    /** The kernel (its layout is the subclass's), or null before build. */
    public Variable kernel() {
        return kernel;
    }

    /** The bias {@code [filters]}, or null before build or without bias. */
    public Variable bias() {
        return bias;
    }

    /** The input's channels (last axis), which must be known to build. */
    final long inputChannels(long[] inputShape) {
        checkInput(inputShape);
        long in = inputShape[inputShape.length - 1];
        if (in <= 0) {
            throw new IllegalArgumentException(describe() + ": the input's channels (last axis, channels_last) must be known "
                    + "to build, got shape " + Shapes.format(inputShape));
        }
        return in;
    }

    /** {@code kernel_size} followed by the two channel dimensions of the subclass's layout. */
    final long[] kernelShape(long second, long last) {
        long[] shape = new long[rank + 2];
        for (int i = 0; i < rank; i++) {
            shape[i] = kernelSize[i];
        }
        shape[rank] = second;
        shape[rank + 1] = last;
        return shape;
    }

    /** Adds the kernel and bias and pins the input's channels; {@code note} ends the input spec's description. */
    final void addKernelAndBias(long[] kernelShape, long in, String note) {
        kernel = addWeight("kernel", kernelShape, kernelInitializer, true, kernelRegularizer);
        bias = useBias ? addWeight("bias", new long[] {filters}, biasInitializer, true, biasRegularizer) : null;
        inputSpec(new InputSpec(rank + 2, rank + 2, Map.of(-1, in), "(channels_last; kernel " + Shapes.format(kernelShape)
                + note + ")"));
    }

    /** Keras' keys in Keras' order; the subclass adds its own after padding and after dilation_rate. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("filters", filters);
        config.put("kernel_size", ConvArguments.list(kernelSize));
        config.put("strides", ConvArguments.list(strides));
        config.put("padding", padding);
        putAfterPadding(config);
        config.put("data_format", "channels_last");
        config.put("dilation_rate", ConvArguments.list(dilationRate));
        putAfterDilation(config);
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

    void putAfterPadding(Map<String, Object> config) {
    }

    void putAfterDilation(Map<String, Object> config) {
    }

    /** Applies the shared optional arguments of a Keras config to a layer made from its filters and kernel_size. */
    static <L extends ConvolutionLayer<L>> L configureShared(L layer, Map<String, Object> config) {
        String owner = layer.className() + ".fromConfig";
        ConvArguments.requireChannelsLast(owner, config);
        ConfigReader read = new ConfigReader(owner, config);
        int rank = ((ConvolutionLayer<?>) layer).rank;
        if (config.get("strides") != null) {
            layer.strides(ConvArguments.fromConfig(owner, "strides", rank, config.get("strides")));
        }
        if (config.get("dilation_rate") != null) {
            layer.dilationRate(ConvArguments.fromConfig(owner, "dilation_rate", rank, config.get("dilation_rate")));
        }
        layer.padding(read.string("padding", "valid"));
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

    /** The required {@code kernel_size} of a Keras config. */
    static int[] kernelSize(String className, int rank, Map<String, Object> config) {
        Object size = config.get("kernel_size");
        if (size == null) {
            throw new IllegalArgumentException(className + ".fromConfig: the config has no \"kernel_size\"");
        }
        return ConvArguments.fromConfig(className + ".fromConfig", "kernel_size", rank, size);
    }
}
