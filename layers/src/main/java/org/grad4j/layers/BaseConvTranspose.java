package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.ConvolutionOps;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.core.Windows;

/**
 * Keras' BaseConvTranspose for channels_last inputs: {@code activation(conv_transpose(inputs, kernel) + bias)}, the
 * gradient of a convolution with respect to its input, with kernel {@code kernel_size + (filters, in)} (Keras'
 * layout, glorot_uniform) and bias {@code (filters,)} (zeros). Output sizes and padding follow
 * {@link Windows#transposeOutputSize} and {@link Windows#transposed}. Subclasses fix the number of spatial axes.
 *
 * @param <T> the subclass, so that the fluent setters return it
 */
public abstract class BaseConvTranspose<T extends BaseConvTranspose<T>> extends ConvolutionLayer<T> {
    private int[] outputPadding;

    protected BaseConvTranspose(int rank, int filters, int... kernelSize) {
        super(rank, filters, kernelSize);
    }

    /**
     * Cells added at the end of each spatial axis of the output, each in {@code [0, strides)}; one value repeats.
     * Null (the default, Keras' None) lets the output size follow from the padding: {@code n * strides} for 'same'.
     */
    public T outputPadding(int... outputPadding) {
        requireNotBuilt("outputPadding");
        int[] p = null;
        if (outputPadding != null) {
            p = ConvArguments.tupleAllowingZero(describe(), "output_padding", rank, outputPadding);
        }
        check(strides, dilationRate, p);
        this.outputPadding = p;
        return self();
    }

    @Override
    void checkArguments(int[] s, int[] d) {
        check(s, d, outputPadding);
    }

    /** Keras' constructor checks: no strides > 1 with dilation > 1, and each output padding below its stride. */
    private void check(int[] s, int[] d, int[] p) {
        for (int i = 0; p != null && i < rank; i++) {
            if (p[i] >= s[i]) {
                throw new IllegalArgumentException(describe() + ": output_padding must be < strides (as in Keras), got "
                        + "output_padding " + ConvArguments.list(p) + " and strides " + ConvArguments.list(s));
            }
        }
        super.checkArguments(s, d);
    }

    /** The kernel {@code kernel_size + (filters, in)}, or null before build. */
    @Override
    public Variable kernel() {
        return super.kernel();
    }

    @Override
    public void build(long... inputShape) {
        long in = inputChannels(inputShape);
        computeOutputShape(inputShape);   // an empty output fails here, before any weight exists
        addKernelAndBias(kernelShape(filters, in), in, "");
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        computeOutputShape(inputs.shape());
        Tensor out = ConvolutionOps.convTranspose(inputs, kernel, bias, strides, padding.equals("same"), outputPadding,
                dilationRate);
        return activation.apply(out);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        long[] out = inputShape.clone();
        for (int i = 0; i < rank; i++) {
            long n = inputShape[1 + i];
            out[1 + i] = Windows.transposeOutputSize(n, kernelSize[i], strides[i], dilationRate[i], padding.equals("same"),
                    outputPadding == null ? null : outputPadding[i]);
            if (n >= 0 && out[1 + i] <= 0) {
                throw new IllegalArgumentException(describe() + ": the output would be empty (" + out[1 + i] + " cells on "
                        + "spatial axis " + i + ") for input " + Shapes.format(inputShape) + " with kernel "
                        + ConvArguments.list(kernelSize) + ", strides " + ConvArguments.list(strides)
                        + ", padding '" + padding + "' and output_padding "
                        + (outputPadding == null ? "None" : ConvArguments.list(outputPadding))
                        + "; use a larger output_padding or a larger input");
            }
        }
        out[rank + 1] = filters;
        return out;
    }

    @Override
    void putAfterPadding(Map<String, Object> config) {
        config.put("output_padding", outputPadding == null ? null : ConvArguments.list(outputPadding));
    }

    /** Applies the Keras config's optional arguments to a layer made from its filters and kernel_size. */
    static <L extends BaseConvTranspose<L>> L configure(L layer, Map<String, Object> config) {
        configureShared(layer, config);
        if (config.get("output_padding") != null) {
            layer.outputPadding(ConvArguments.fromConfigAllowingZero(layer.className() + ".fromConfig", "output_padding",
                    ((BaseConvTranspose<?>) layer).rank, config.get("output_padding")));
        }
        return layer;
    }
}
