package org.grad4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.internal.KerasNames;
import org.grad4j.core.Tensor;

/**
 * A loss: compares targets {@code yTrue} with predictions {@code yPred} and returns what training
 * minimises. The built-in losses ({@link MeanSquaredError}, {@link CategoricalCrossentropy}, ...) follow
 * Keras 3: a per-sample value (the last axis averaged or summed away), then sample weights, then a
 * {@link Reduction} (by default the mean over the per-sample values, a rank-0 tensor).
 *
 * <p>Any lambda {@code (yTrue, yPred) -> ...} is a Loss too; to get Keras' sample weighting and
 * reductions for a custom per-sample function, extend {@link LossFunctionWrapper} instead.
 */
@FunctionalInterface
public interface Loss {
    /**
     * The loss of a batch, without sample weights.
     *
     * @param yTrue targets, e.g. {@code [batch, outputs]} (class indices {@code [batch]} for sparse losses)
     * @param yPred predictions, e.g. {@code [batch, outputs]}
     * @return with the default reduction a rank-0 tensor: the mean over the batch
     */
    Tensor call(Tensor yTrue, Tensor yPred);

    /**
     * The loss of a batch with sample weights ({@code null}: none). A plain lambda loss cannot weigh
     * samples; {@link LossFunctionWrapper} can.
     */
    default Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (sampleWeight == null) {
            return call(yTrue, yPred);
        }
        throw new UnsupportedOperationException(name() + ": this loss does not take sample weights; extend "
                + "LossFunctionWrapper (a per-sample function plus Keras' weighting and reduction) to get them");
    }

    /** The Keras name, e.g. {@code mean_squared_error}; a lambda is called {@code loss}. */
    default String name() {
        Class<?> type = getClass();
        if (type.isSynthetic() || type.isAnonymousClass() || type.getSimpleName().contains("$$Lambda")) {
            return "loss";
        }
        return KerasNames.snakeCase(type.getSimpleName());
    }

    /**
     * Checks, before training or evaluation changes anything, that targets suit this loss, so that fit fails
     * with what the loss needs rather than with a shape error deep in a step. The default accepts anything
     * (the loss itself then checks what it computes with); the cross-entropies know their label formats.
     *
     * @param where       starts the message, e.g. {@code fit}
     * @param yShape      the shape of all targets, e.g. {@code [1000, 10]}
     * @param yPredShape  the model's output shape for as many samples, e.g. {@code [1000, 10]}
     * @param yTrue       all targets, for checks of their values (class ids in range)
     * @throws IllegalArgumentException naming the loss, the shapes and a hint
     */
    default void validateLabels(String where, long[] yShape, long[] yPredShape, Tensor yTrue) {
    }

    /** Keras' {@code get_config()}: what {@link Losses#fromConfig} needs to rebuild this loss. */
    default Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        return config;
    }
}
