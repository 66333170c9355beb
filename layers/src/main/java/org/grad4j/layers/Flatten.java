package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' Flatten: {@code [batch, d1, d2, ...]} to {@code [batch, d1 * d2 * ...]} in row-major order; a
 * rank-1 input {@code [batch]} becomes {@code [batch, 1]}.
 */
public class Flatten extends Layer {

    public Flatten() {
        inputSpec(InputSpec.atLeastRank(1));
    }

    @Override
    public Flatten name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public Flatten dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        return inputs.reshape(computeOutputShape(inputs.shape()));
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        long features = 1;
        for (int i = 1; i < inputShape.length; i++) {
            if (inputShape[i] == -1) {
                features = -1;
                break;
            }
            features *= inputShape[i];
        }
        return new long[] {inputShape[0], features};
    }

    static Flatten fromConfig(Map<String, Object> config) {
        return new Flatten();
    }
}
