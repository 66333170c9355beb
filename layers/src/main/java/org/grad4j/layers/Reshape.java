package org.grad4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' Reshape: {@code [batch, ...]} to {@code [batch, targetShape...]} in row-major order; the target excludes
 * the batch axis and may hold one -1, inferred from the input's size.
 */
public class Reshape extends Layer {
    private final long[] targetShape;

    public Reshape(long... targetShape) {
        long unknown = Arrays.stream(targetShape).filter(d -> d == -1).count();
        if (unknown > 1 || Arrays.stream(targetShape).anyMatch(d -> d < -1 || d == 0)) {
            throw invalidArgument("Reshape: target_shape must hold positive sizes and at most one -1, got "
                    + Shapes.format(targetShape));
        }
        this.targetShape = targetShape.clone();
        inputSpec(InputSpec.atLeastRank(1));
    }

    /** The target shape without the batch axis, as given. */
    public long[] targetShape() {
        return targetShape.clone();
    }

    @Override
    public Reshape name(String name) {
        super.name(name);
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
        long size = 1;
        for (int i = 1; i < inputShape.length; i++) {
            size = inputShape[i] < 0 || size < 0 ? -1 : size * inputShape[i];
        }
        long known = 1;
        int free = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                free = i;
            } else {
                known *= targetShape[i];
            }
        }
        long[] out = new long[targetShape.length + 1];
        out[0] = inputShape[0];
        System.arraycopy(targetShape, 0, out, 1, targetShape.length);
        if (size >= 0) {
            if (free >= 0 ? size % known != 0 : size != known) {
                throw new IllegalArgumentException(describe() + ": cannot reshape input " + Shapes.format(inputShape) + " ("
                        + size + " values per sample) into target_shape " + Shapes.format(targetShape));
            }
            if (free >= 0) {
                out[1 + free] = size / known;
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("target_shape", Arrays.stream(targetShape).boxed().toList());
        return config;
    }

    static Reshape fromConfig(Map<String, Object> config) {
        return new Reshape(new ConfigReader("Reshape.fromConfig", config).wholes("target_shape"));
    }
}
