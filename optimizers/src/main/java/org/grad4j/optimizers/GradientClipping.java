package org.grad4j.optimizers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;

/**
 * One of Keras' three gradient clippings, applied in place to gradients the optimizer owns
 * (base_optimizer.py {@code _clip_gradients}). Keras allows only one of them per optimizer.
 *
 * @param kind  its Keras config key: {@code clipnorm}, {@code clipvalue} or {@code global_clipnorm}
 * @param value the threshold, positive
 */
record GradientClipping(String kind, double value) {
    static final String NORM = "clipnorm";
    static final String VALUE = "clipvalue";
    static final String GLOBAL_NORM = "global_clipnorm";

    void apply(List<INDArray> gradients) {
        switch (kind) {
            case NORM -> {
                // per variable: g * c / max(||g||, c)
                for (INDArray g : gradients) {
                    double norm = g.norm2Number().doubleValue();
                    if (norm > value) {
                        g.muli(value / norm);
                    }
                }
            }
            case GLOBAL_NORM -> {
                double sumOfSquares = 0;
                for (INDArray g : gradients) {
                    double norm = g.norm2Number().doubleValue();
                    sumOfSquares += norm * norm;
                }
                double globalNorm = Math.sqrt(sumOfSquares);
                // Keras: c * min(1/||G||, 1/c), plus (||G|| - ||G||) so that a NaN or infinite norm poisons
                // every gradient instead of passing them through unclipped
                double scale = value * Math.min(1 / globalNorm, 1 / value) + (globalNorm - globalNorm);
                if (scale != 1) {
                    for (INDArray g : gradients) {
                        g.muli(scale);
                    }
                }
            }
            case VALUE -> {
                for (INDArray g : gradients) {
                    ClipByValue clip = new ClipByValue(g, -value, value);
                    clip.addOutputArgument(g);
                    Nd4j.exec(clip);
                }
            }
            default -> throw new IllegalStateException("unknown clipping " + kind);
        }
    }
}
