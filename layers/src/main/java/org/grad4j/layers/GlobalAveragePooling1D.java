package org.grad4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;

/** Keras' GlobalAveragePooling1D: the mean over the steps of {@code [batch, steps, channels]}, giving {@code [batch, channels]}. */
public class GlobalAveragePooling1D extends BaseGlobalPooling<GlobalAveragePooling1D> {

    public GlobalAveragePooling1D() {
        super(1, false);
    }

    static GlobalAveragePooling1D fromConfig(Map<String, Object> config) {
        return configure(new GlobalAveragePooling1D(), config);
    }

    /** Keras' GlobalAveragePooling1D takes masks: the mean runs over the real steps only. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    /** The steps are pooled away, and with them the mask. */
    @Override
    public Tensor computeMask(Tensor inputs, Tensor mask) {
        return null;
    }

    /**
     * Keras' masked mean: {@code sum(x * m) / sum(m)} over the steps, {@code m} the mask {@code [batch, steps]}
     * (a sample with no real step gives NaN there, as in Keras).
     */
    @Override
    public Tensor call(Tensor inputs, Tensor mask, boolean training) {
        if (mask == null) {
            return call(inputs, training);
        }
        maybeBuild(inputs);
        long[] shape = inputs.shape();
        long[] expected = {shape[0], shape[1]};
        if (!Arrays.equals(mask.shape(), expected)) {
            throw new IllegalArgumentException(describe() + ": the mask must have shape [batch, steps] = "
                    + Shapes.format(expected) + " for inputs " + Shapes.format(shape) + ", got " + Shapes.format(mask.shape()));
        }
        Tensor m = Tensor.of(Masks.bool(mask).castTo(inputs.dataType())).expandDims(2);
        Tensor sum = inputs.mul(m).sum(keepdims(), 1);
        Tensor count = m.sum(keepdims(), 1);
        return sum.div(count);
    }
}
