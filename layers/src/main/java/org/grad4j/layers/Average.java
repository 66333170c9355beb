package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/** Keras' Average: the element-wise mean of its inputs (which broadcast). */
public class Average extends Merge {

    @Override
    public Tensor call(List<Tensor> inputs, boolean training) {
        List<Tensor> xs = checked(inputs);
        Tensor out = xs.get(0);
        for (Tensor x : xs.subList(1, xs.size())) {
            out = out.add(x);
        }
        return out.div(xs.size());
    }

    static Average fromConfig(Map<String, Object> config) {
        return new Average();
    }
}
