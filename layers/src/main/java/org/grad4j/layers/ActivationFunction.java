package org.grad4j.layers;

import org.grad4j.core.Tensor;

/**
 * An element-wise (or, for softmax, last-axis) non-linearity, written with {@link Tensor} ops so its
 * gradient comes from the ops' own. The built-in ones are the constants of {@link Activations}.
 */
public interface ActivationFunction {
    /** The activation of {@code x}; same shape as {@code x}. */
    Tensor apply(Tensor x);

    /** The name Keras serializes it under ({@code "relu"}); {@link Activations#get} reads it back. */
    String kerasName();
}
