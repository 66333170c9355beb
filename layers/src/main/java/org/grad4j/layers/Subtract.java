package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/** Keras' Subtract: {@code inputs[0] - inputs[1]}, exactly two inputs. */
public class Subtract extends Merge {

    @Override
    protected int minInputs() {
        return 2;
    }

    @Override
    protected int maxInputs() {
        return 2;
    }

    @Override
    public Tensor call(List<Tensor> inputs, boolean training) {
        List<Tensor> xs = checked(inputs);
        return xs.get(0).sub(xs.get(1));
    }

    static Subtract fromConfig(Map<String, Object> config) {
        return new Subtract();
    }
}
