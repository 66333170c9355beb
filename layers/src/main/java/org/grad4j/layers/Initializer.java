package org.grad4j.layers;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Initial values for a weight, as Keras' initializers. Get the built-in ones from {@link Initializers}.
 * A seeded initializer gives the same values on every call and every machine.
 */
public interface Initializer {
    /** A new array of {@code shape} and {@code dtype} (a floating type). */
    INDArray init(long[] shape, DataType dtype);

    /** The Keras name ({@code "glorot_uniform"}); {@link Initializers#get} reads it back. */
    String kerasName();

    /** Keras' {@code get_config()}: the parameters, e.g. {@code {seed: 42}} or {@code {mean, stddev, seed}}. */
    Map<String, Object> config();
}
