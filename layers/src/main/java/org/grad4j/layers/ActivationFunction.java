package org.grad4j.layers;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.grad4j.core.Tensor;

/**
 * An element-wise (or, for softmax, last-axis) non-linearity, written with {@link Tensor} ops so its
 * gradient comes from the ops' own. The built-in ones are the constants of {@link Activations}; a user's
 * own is registered by name in {@link Activations#registry()} so that layers saved with it load again.
 */
public interface ActivationFunction {
    /** The activation of {@code x}; same shape as {@code x}. */
    Tensor apply(Tensor x);

    /** The name Keras serializes it under ({@code "relu"}); {@link Activations#get} reads it back. */
    String kerasName();

    /** An activation named {@code kerasName} that computes {@code function}, e.g. for {@link Activations#registry()}. */
    static ActivationFunction of(String kerasName, UnaryOperator<Tensor> function) {
        return new Named(kerasName, function);
    }

    /** What {@link #of} returns. */
    record Named(String kerasName, UnaryOperator<Tensor> function) implements ActivationFunction {
        public Named {
            if (kerasName == null || kerasName.isBlank()) {
                throw new IllegalArgumentException("ActivationFunction.of: a name is required, got "
                        + (kerasName == null ? "null" : "\"" + kerasName + "\""));
            }
            Objects.requireNonNull(function, "ActivationFunction.of: function");
        }

        @Override
        public Tensor apply(Tensor x) {
            return function.apply(x);
        }
    }
}
