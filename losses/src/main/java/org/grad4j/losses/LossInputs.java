package org.grad4j.losses;

import org.grad4j.losses.internal.RankAlignment;
import java.util.Arrays;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The checks every loss function runs on its inputs before computing, so that a wrong pair fails with
 * both shapes named instead of broadcasting into a silently wrong number.
 */
final class LossInputs {
    private LossInputs() {
    }

    /**
     * y_true cast to y_pred's data type (Keras casts targets to the loss dtype), then the ranks aligned
     * as Keras' {@code LossFunctionWrapper.call} does. A tensor already of the right type is kept, so a
     * gradient with respect to y_true still flows.
     */
    static Tensor[] align(String loss, Tensor yTrue, Tensor yPred) {
        if (yTrue == null || yPred == null) {
            throw new IllegalArgumentException(loss + ": " + (yTrue == null ? "y_true" : "y_pred") + " is null");
        }
        DataType type = yPred.dataType();
        if (!type.isFPType()) {
            throw new IllegalArgumentException(loss + ": y_pred must be floating point, got " + type + " "
                    + Shapes.format(yPred.shape()));
        }
        return RankAlignment.squeezeOrExpand(castTo(yTrue, type), yPred);
    }

    static Tensor castTo(Tensor t, DataType type) {
        return t.dataType() == type ? t : t.castTo(type);
    }

    /** Aligned (y_true, y_pred) that must then have one shape, with at least one axis (the one averaged). */
    static Tensor[] sameShape(String loss, Tensor yTrue, Tensor yPred) {
        Tensor[] aligned = align(loss, yTrue, yPred);
        if (!Arrays.equals(aligned[0].shape(), aligned[1].shape())) {
            throw new IllegalArgumentException(loss + ": y_true shape " + Shapes.format(yTrue.shape())
                    + " and y_pred shape " + Shapes.format(yPred.shape()) + " differ; they must be equal "
                    + "(up to a trailing axis of size 1)");
        }
        requireAxis(loss, aligned[1]);
        return aligned;
    }

    static void requireAxis(String loss, Tensor yPred) {
        if (yPred.rank() == 0) {
            throw new IllegalArgumentException(loss + ": y_pred has shape []; it needs at least one axis "
                    + "(the loss reduces the last one), e.g. [batch, 1]");
        }
    }
}
