package org.grad4j.layers;

import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * A penalty on a weight, added to the training loss (Keras' regularizers). Get the built-in ones from
 * {@link Regularizers}; a layer's penalties appear in {@link Layer#losses()}.
 */
public interface Regularizer {
    /** The penalty of {@code weight}, a scalar computed with Tensor ops (so it has a gradient). */
    Tensor penalty(Tensor weight);

    /** Keras' {@code get_config()}, e.g. {@code {l2: 0.01}}. */
    Map<String, Object> config();
}
