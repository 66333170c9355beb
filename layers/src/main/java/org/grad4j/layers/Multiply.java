package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/** Keras' Multiply: the element-wise product of its inputs (which broadcast). */
public class Multiply extends Merge {

    @Override
    public Tensor call(List<Tensor> inputs, boolean training) {
        List<Tensor> xs = checked(inputs);
        Tensor out = xs.get(0);
        for (Tensor x : xs.subList(1, xs.size())) {
            out = out.mul(x);
        }
        return out;
    }

    static Multiply fromConfig(Map<String, Object> config) {
        return new Multiply();
    }
}
