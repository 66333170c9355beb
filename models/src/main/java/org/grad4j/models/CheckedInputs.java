package org.grad4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grad4j.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The input signatures whose check before the first step passed, so that a repeated {@code fit},
 * {@code trainOnBatch} or {@code evaluate} with the same shapes skips the check's forward pass: as Keras keeps its
 * traced train function while the input signature holds. A 32-row forward per call was about 1 % of W5's step
 * (fit calls of 8 steps) and a whole extra forward per step for a {@code trainOnBatch} loop.
 *
 * <p>Only for {@link Sequential} and {@link Functional} models themselves, whose forward is the layers' graph: a
 * subclass's {@code call} may decide its shapes on anything. A signature is the model's layers (by identity: an
 * {@code add} or {@code pop} starts over), the compile state, and both arrays' shapes and types. Outputs with a
 * mask are never remembered (the mask depends on the values). Label values are still checked on every call.
 */
final class CheckedInputs {
    /** Enough for the training and the validation arrays of a fit, and an evaluate between. */
    private static final int KEPT = 4;

    private record Signature(List<Layer> layers, Compiled compiled, long[] x, DataType xType, long[] y,
            DataType yType, long[] prediction) {
        boolean matches(List<Layer> l, Compiled c, INDArray xs, INDArray ys) {
            if (c != compiled || l.size() != layers.size() || xs.dataType() != xType || ys.dataType() != yType
                    || !Arrays.equals(xs.shape(), x) || !Arrays.equals(ys.shape(), y)) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i) != layers.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Signature> passed = new ArrayList<>();

    /** True when the model's forward runs the same for any input of one shape. */
    static boolean applies(Model model) {
        return model.getClass() == Sequential.class || model.getClass() == Functional.class;
    }

    /**
     * The shape of the check's prediction for {@code x} (its first rows) when this signature passed before with
     * {@code compiled} (the state that check resolved to), else null.
     */
    synchronized long[] prediction(Model model, Compiled compiled, INDArray x, INDArray y) {
        if (!applies(model)) {
            return null;
        }
        List<Layer> layers = model.layers();
        for (Signature s : passed) {
            if (s.matches(layers, compiled, x, y)) {
                return s.prediction().clone();
            }
        }
        return null;
    }

    /** Remembers a signature whose check passed and resolved to {@code compiled}. */
    synchronized void passed(Model model, Compiled compiled, INDArray x, INDArray y, long[] prediction) {
        if (!applies(model)) {
            return;
        }
        if (passed.size() == KEPT) {
            passed.remove(0);
        }
        passed.add(new Signature(List.copyOf(model.layers()), compiled, x.shape().clone(), x.dataType(),
                y.shape().clone(), y.dataType(), prediction.clone()));
    }
}
