package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.ConvolutionOps;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.Windows;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' BaseConv for channels_last inputs: {@code activation(conv(inputs, kernel) + bias)}, a cross-correlation
 * (no kernel flip) with kernel {@code kernel_size + (in / groups, filters)} (glorot_uniform) and bias
 * {@code (filters,)} (zeros). Inputs {@code [batch, spatial..., in]} give {@code [batch, outSpatial..., filters]};
 * sizes and the 'same' padding follow {@link Windows}. Subclasses fix the number of spatial axes.
 *
 * @param <T> the subclass, so that the fluent setters return it
 */
public abstract class BaseConv<T extends BaseConv<T>> extends ConvolutionLayer<T> {
    private int groups = 1;

    protected BaseConv(int rank, int filters, int... kernelSize) {
        super(rank, filters, kernelSize);
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

    /** The kernel {@code kernel_size + (in / groups, filters)}, or null before build. */
    @Override
    public Variable kernel() {
        return super.kernel();
    }

    @Override
    public void build(long... inputShape) {
        long in = inputChannels(inputShape);
        if (in % groups != 0) {
            throw new IllegalArgumentException(describe() + ": input channels " + in + " (shape " + Shapes.format(inputShape)
                    + ") must divide by groups " + groups);
        }
        computeOutputShape(inputShape);   // a window larger than the input fails here, before any weight exists
        addKernelAndBias(kernelShape(in / groups, filters), in, groups > 1 ? ", groups " + groups : "");
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
    void putAfterDilation(Map<String, Object> config) {
        config.put("groups", groups);
    }

    /** Applies the Keras config's optional arguments to a layer made from its filters and kernel_size. */
    static <L extends BaseConv<L>> L configure(L layer, Map<String, Object> config) {
        configureShared(layer, config);
        layer.groups(new ConfigReader(layer.className() + ".fromConfig", config).integer("groups", 1));
        return layer;
    }
}
