package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/** Keras' Maximum: the element-wise maximum of its inputs (which broadcast). */
public class Maximum extends Merge {

    @Override
    public Tensor call(List<Tensor> inputs, boolean training) {
        List<Tensor> xs = checked(inputs);
        Tensor out = xs.get(0);
        for (Tensor x : xs.subList(1, xs.size())) {
            out = out.maximum(x);
        }
        return out;
    }

    static Maximum fromConfig(Map<String, Object> config) {
        return new Maximum();
    }
}
