package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/** Keras' Add: the element-wise sum of its inputs (which broadcast). */
public class Add extends Merge {

    @Override
    public Tensor call(List<Tensor> inputs, boolean training) {
        List<Tensor> xs = checked(inputs);
        Tensor out = xs.get(0);
        for (Tensor x : xs.subList(1, xs.size())) {
            out = out.add(x);
        }
        return out;
    }

    static Add fromConfig(Map<String, Object> config) {
        return new Add();
    }
}
