package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;

/** Keras' RepeatVector: {@code [batch, features]} to {@code [batch, n, features]}, the input repeated n times. */
public class RepeatVector extends Layer {
    private final int n;

    public RepeatVector(int n) {
        if (n <= 0) {
            throw invalidArgument("RepeatVector: n must be a positive integer, got " + n);
        }
        this.n = n;
        inputSpec(new InputSpec(2, 2, Map.of(), ""));
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        long[] s = inputs.shape();
        return inputs.expandDims(1).broadcastTo(s[0], n, s[1]);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        return new long[] {inputShape[0], n, inputShape[1]};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("n", n);
        return config;
    }

    static RepeatVector fromConfig(Map<String, Object> config) {
        return new RepeatVector(new ConfigReader("RepeatVector.fromConfig", config).integer("n"));
    }
}
