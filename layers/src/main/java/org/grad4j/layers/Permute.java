package org.grad4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' Permute: reorders the axes after the batch axis; {@code dims} counts them from 1, so
 * {@code new Permute(2, 1)} turns {@code [batch, a, b]} into {@code [batch, b, a]}.
 */
public class Permute extends Layer {
    private final int[] dims;

    public Permute(int... dims) {
        int[] sorted = dims.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i + 1) {
                throw invalidArgument("Permute: dims must be a permutation of 1.." + dims.length + " (the batch axis is not "
                        + "included), got " + Arrays.toString(dims));
            }
        }
        this.dims = dims.clone();
        inputSpec(new InputSpec(dims.length + 1, dims.length + 1, Map.of(), "(Permute dims " + Arrays.toString(dims) + ")"));
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        int[] axes = new int[dims.length + 1];
        System.arraycopy(dims, 0, axes, 1, dims.length);
        return inputs.transpose(axes);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        long[] out = new long[inputShape.length];
        out[0] = inputShape[0];
        for (int i = 0; i < dims.length; i++) {
            out[i + 1] = inputShape[dims[i]];
        }
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("dims", ConvArguments.list(dims));
        return config;
    }

    static Permute fromConfig(Map<String, Object> config) {
        return new Permute(Arrays.stream(new ConfigReader("Permute.fromConfig", config).wholes("dims"))
                .mapToInt(Math::toIntExact).toArray());
    }
}
