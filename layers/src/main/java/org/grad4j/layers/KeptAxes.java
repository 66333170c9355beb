package org.grad4j.layers;

import java.util.Arrays;
import org.grad4j.core.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Normalization's axes resolved for one input shape: the kept axes (one statistic per index, counted from 0 and
 * sorted, as Keras sorts them), the reduced ones, the statistics' shape (the kept axes' sizes) and the shape they
 * broadcast in (the input's rank, 1 on the reduced axes).
 */
final class KeptAxes {
    final long[] inputShape;
    final int[] keep;
    final int[] reduce;
    final long[] statShape;
    final long[] broadcastShape;

    private KeptAxes(long[] inputShape, int[] keep) {
        this.inputShape = inputShape.clone();
        this.keep = keep;
        this.reduce = new int[inputShape.length - keep.length];
        this.statShape = new long[keep.length];
        this.broadcastShape = new long[inputShape.length];
        for (int d = 0, r = 0, k = 0; d < inputShape.length; d++) {
            if (k < keep.length && keep[k] == d) {
                statShape[k++] = inputShape[d];
                broadcastShape[d] = inputShape[d];
            } else {
                reduce[r++] = d;
                broadcastShape[d] = 1;
            }
        }
    }

    /**
     * Resolves {@code axis} (negative counts from the end; empty: Keras' {@code axis=None}) for inputs of
     * {@code shape}; {@code where} starts the messages.
     *
     * @throws IllegalArgumentException for an axis outside the rank, one named twice, or a kept axis of unknown size
     */
    static KeptAxes of(int[] axis, long[] shape, String where) {
        int rank = shape.length;
        int[] keep = new int[axis.length];
        for (int i = 0; i < axis.length; i++) {
            if (axis[i] < -rank || axis[i] >= rank) {
                throw new IllegalArgumentException(where + ": axis " + Arrays.toString(axis)
                        + " must lie in [-rank, rank) for inputs of rank " + rank + ", got shape " + Shapes.format(shape));
            }
            keep[i] = axis[i] < 0 ? axis[i] + rank : axis[i];
        }
        Arrays.sort(keep);
        for (int i = 0; i < keep.length; i++) {
            if (i > 0 && keep[i] == keep[i - 1]) {
                throw new IllegalArgumentException(where + ": axis " + Arrays.toString(axis) + " names axis " + keep[i]
                        + " twice for inputs of shape " + Shapes.format(shape));
            }
            if (shape[keep[i]] < 0) {
                throw new IllegalArgumentException(where + ": kept axis " + keep[i] + " must have a known size, got shape "
                        + Shapes.format(shape) + " (axis " + Arrays.toString(axis) + ")");
            }
        }
        return new KeptAxes(shape, keep);
    }

    /** Whether {@code shape} has this rank and the same sizes on the kept axes. */
    boolean sameKeptSizes(long[] shape) {
        if (shape.length != inputShape.length) {
            return false;
        }
        for (int d : keep) {
            if (shape[d] != inputShape[d]) {
                return false;
            }
        }
        return true;
    }

    /** Whether a batch of {@code shape} holds no value on some reduced axis. */
    boolean isEmpty(long[] shape) {
        for (int d : reduce) {
            if (shape[d] == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A given statistic (rank at most the number of kept axes) in the broadcast shape: its dimensions are aligned
     * to the kept axes from the right, as Keras' build aligns them, and each must be 1 or the axis' size.
     */
    INDArray broadcast(INDArray statistic, String where) {
        long[] expanded = new long[inputShape.length];
        Arrays.fill(expanded, 1);
        long[] given = statistic.shape();
        for (int i = 1; i <= given.length; i++) {
            int d = keep[keep.length - i];
            long size = given[given.length - i];
            if (size != 1 && size != inputShape[d]) {
                throw new IllegalArgumentException(where + ": the given mean and variance of shape " + Shapes.format(given)
                        + " do not broadcast to the kept axes' sizes " + Shapes.format(statShape) + " of input shape "
                        + Shapes.format(inputShape));
            }
            expanded[d] = size;
        }
        return reshape(statistic, expanded).broadcast(broadcastShape);
    }

    /** {@code a} in {@code shape} (same length); rank 0 is made directly, since reshape refuses it. */
    static INDArray reshape(INDArray a, long[] shape) {
        if (Arrays.equals(a.shape(), shape)) {
            return a;
        }
        return shape.length == 0 ? Nd4j.scalar(a.dataType(), a.getDouble(0)) : a.reshape(shape);
    }

    /** The statistics' shape as float64 values from {@code a} (any shape with as many elements), a fresh copy. */
    INDArray statistics(INDArray a) {
        return reshape(a.castTo(DataType.DOUBLE).dup('c'), statShape);
    }
}
