package org.grad4j.models;

import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.losses.Loss;
import org.grad4j.losses.LossFunctionWrapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mask the loss applies: Keras reads {@code y_pred._keras_mask} (here {@link org.grad4j.layers.Masks#of} of the
 * prediction, e.g. {@code [batch, steps]} after a recurrent layer returning sequences) and weighs the loss by it,
 * a mean over the real entries only ({@code apply_mask}); a Dataset's labels mask multiplies it per sample.
 */
final class OutputMask {
    /**
     * The masks of a model's several outputs, by the packed tensor that carries them through the training loop (one
     * mask, or null, per output), as {@link org.grad4j.layers.Masks} keeps one tensor's.
     */
    private static final java.util.Map<Tensor, java.util.List<Tensor>> PACKED =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private OutputMask() {
    }

    /** Records the outputs' masks on their packed tensor when any output has one. */
    static void attachPacked(Tensor packed, java.util.List<Tensor> outputs) {
        java.util.List<Tensor> masks = new java.util.ArrayList<>();
        boolean any = false;
        for (Tensor o : outputs) {
            Tensor m = org.grad4j.layers.Masks.of(o);
            masks.add(m);
            any |= m != null;
        }
        if (any) {
            PACKED.put(packed, java.util.Collections.unmodifiableList(masks));
        }
    }

    /** Output {@code i}'s mask on the packed tensor, or null. */
    static Tensor packed(Tensor packed, int i) {
        java.util.List<Tensor> masks = packed == null ? null : PACKED.get(packed);
        return masks == null ? null : masks.get(i);
    }

    /** Carries every mask of {@code from} (its own, its outputs') to {@code to}, e.g. a detached copy; returns it. */
    static Tensor carry(Tensor from, Tensor to) {
        org.grad4j.layers.Masks.attach(to, org.grad4j.layers.Masks.of(from));
        java.util.List<Tensor> masks = PACKED.get(from);
        if (masks != null) {
            PACKED.put(to, masks);
        }
        return to;
    }

    /** The combined 0/1 mask in the model's dtype, or null when neither mask is there. */
    static Tensor combine(Model model, Loss loss, Tensor labelsMask, Tensor outputMask) {
        if (outputMask == null) {
            return labelsMask;
        }
        if (!(loss instanceof LossFunctionWrapper)) {
            throw new IllegalArgumentException(model.describe() + ": the output carries a mask " + Shapes.format(outputMask.shape())
                    + " (from a masking layer such as Embedding(maskZero)) that the loss must apply, but loss \"" + loss.name()
                    + "\" (" + loss.getClass().getSimpleName() + ") cannot take a mask; extend LossFunctionWrapper, or end "
                    + "the model with a layer that drops the mask");
        }
        INDArray values = outputMask.array();
        INDArray m = (values.dataType() == DataType.BOOL ? values : values.neq(0)).castTo(model.dtype());
        if (labelsMask == null) {
            return Tensor.of(m);
        }
        INDArray labels = labelsMask.array().castTo(model.dtype());
        long[] shape = m.shape();
        if (labels.length() != shape[0]) {
            throw new IllegalArgumentException(model.describe() + ": the labels mask " + Shapes.format(labels.shape())
                    + " is per sample but the output's mask is " + Shapes.format(shape) + "; give one value per sample");
        }
        long[] column = new long[shape.length];
        java.util.Arrays.fill(column, 1);
        column[0] = shape[0];
        return Tensor.of(m.mul(labels.reshape(column).broadcast(shape)));
    }

    /**
     * The metrics' sample weights with the output's mask, as Keras' {@code apply_mask(..., reduction="sum")}: per-sample
     * weights spread over the mask's steps and multiplied by it; unchanged without weights or without a mask
     * (Keras' {@code MeanMetricWrapper} leaves an unweighted metric unmasked).
     */
    static Tensor weigh(Tensor weights, Tensor outputMask) {
        if (weights == null || outputMask == null) {
            return weights;
        }
        INDArray values = outputMask.array();
        INDArray m = (values.dataType() == DataType.BOOL ? values : values.neq(0)).castTo(weights.dataType());
        INDArray w = weights.array();
        long[] shape = m.shape();
        if (w.rank() < shape.length && w.length() == shape[0]) {
            long[] column = new long[shape.length];
            java.util.Arrays.fill(column, 1);
            column[0] = shape[0];
            w = w.reshape(column).broadcast(shape);
        }
        if (!java.util.Arrays.equals(w.shape(), shape)) {
            throw new IllegalArgumentException("the sample weights " + Shapes.format(weights.shape())
                    + " fit neither the batch nor the output's mask " + Shapes.format(shape));
        }
        return Tensor.of(w.mul(m));
    }
}
