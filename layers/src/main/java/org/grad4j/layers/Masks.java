package org.grad4j.layers;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code _keras_mask}: the mask a layer attached to the tensor it returned ({@code [batch, steps]}, BOOL, true
 * where a step is real). {@link Layer#apply} reads the mask of its input and attaches the output's, so masks flow
 * through Sequential and functional models, and a loss reads the prediction's mask as Keras' {@code apply_mask}.
 *
 * <p>A side table rather than a field of Tensor: the tensor is held weakly (Tensor keeps identity equality), so a
 * mask lives exactly as long as the tensor it describes.
 */
public final class Masks {
    private static final Map<Tensor, Tensor> MASKS = Collections.synchronizedMap(new WeakHashMap<>());

    private Masks() {
    }

    /** The mask attached to {@code tensor}, or null (Keras' {@code get_keras_mask}). */
    public static Tensor of(Tensor tensor) {
        return tensor == null ? null : MASKS.get(tensor);
    }

    /** Attaches {@code mask} to {@code tensor} (null removes it); returns the tensor (Keras' {@code set_keras_mask}). */
    public static Tensor attach(Tensor tensor, Tensor mask) {
        if (mask == null) {
            MASKS.remove(tensor);
        } else {
            MASKS.put(tensor, mask);
        }
        return tensor;
    }

    /** The masks of {@code tensors}, null for each one without. */
    static List<Tensor> of(List<? extends Tensor> tensors) {
        return tensors.stream().map(Masks::of).toList();
    }

    static boolean anyMask(List<Tensor> masks) {
        return masks.stream().anyMatch(m -> m != null);
    }

    /** A mask as BOOL values (a numeric one is true where nonzero). */
    static INDArray bool(Tensor mask) {
        INDArray values = mask.array();
        return values.dataType() == DataType.BOOL ? values : values.neq(0);
    }

    /** Keras' base merge mask: the AND of the inputs' masks that exist; null when none does. */
    static Tensor and(Layer owner, List<Tensor> masks) {
        INDArray out = null;
        for (Tensor m : masks) {
            if (m == null) {
                continue;
            }
            INDArray b = bool(m);
            if (out != null && !java.util.Arrays.equals(out.shape(), b.shape())) {
                throw new IllegalArgumentException(owner.describe() + ": the inputs' masks must share one shape to be "
                        + "combined, got " + Shapes.format(out.shape()) + " and " + Shapes.format(b.shape()));
            }
            out = out == null ? b.dup() : out.castTo(DataType.FLOAT).mul(b.castTo(DataType.FLOAT)).neq(0);
        }
        return out == null ? null : Tensor.of(out);
    }
}
