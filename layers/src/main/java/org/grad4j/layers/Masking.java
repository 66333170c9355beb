package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' Masking: a step whose features all equal {@code maskValue} is padding. The output is the input with such
 * steps zeroed, carrying the mask {@code [batch, steps]} (true where any feature differs), which replaces any mask the
 * input had; the layers after it skip the padded steps (see {@link Masks}).
 */
public class Masking extends Layer {
    private final double maskValue;

    /** Steps of all zeros are padding. */
    public Masking() {
        this(0.0);
    }

    public Masking(double maskValue) {
        if (Double.isNaN(maskValue)) {
            throw invalidArgument("Masking: mask_value must be a number, got NaN (no value equals NaN)");
        }
        this.maskValue = maskValue;
    }

    public double maskValue() {
        return maskValue;
    }

    /** Keras' {@code any(inputs != mask_value, axis=-1)}: BOOL, the input's shape without the features. */
    private INDArray steps(Tensor inputs) {
        INDArray differs = inputs.array().neq(maskValue).castTo(DataType.FLOAT);
        return differs.max(inputs.rank() - 1).neq(0);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        if (inputs.rank() < 2) {
            throw new IllegalArgumentException(describe() + ": the input needs a features axis, e.g. [batch, steps, "
                    + "features], got " + org.grad4j.core.Shapes.format(inputs.shape()));
        }
        INDArray steps = steps(inputs);
        long[] column = inputs.shape().clone();
        column[column.length - 1] = 1;
        Tensor out = inputs.mul(Tensor.of(steps.castTo(inputs.dataType()).reshape(column)));
        Masks.attach(out, Tensor.of(steps));
        return out;
    }

    @Override
    public boolean supportsMasking() {
        return true;
    }

    /** The input's own padding, whatever mask came with it (Keras' Masking ignores the incoming mask). */
    @Override
    public Tensor computeMask(Tensor inputs, Tensor mask) {
        return Tensor.of(steps(inputs));
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        return inputShape.clone();
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("mask_value", maskValue);
        return config;
    }

    static Masking fromConfig(Map<String, Object> config) {
        return new Masking(new ConfigReader("Masking.fromConfig", config).number("mask_value", 0.0));
    }
}
