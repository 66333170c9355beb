package org.grad4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.factory.Nd4j;

/** Sums, means and maxima over axes; each gradient is the upstream gradient broadcast back. */
final class ReductionOps {
    private ReductionOps() {
    }

    static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        int[] ax = Shapes.normalizeAxes("sum", axes, x.rank());
        long[] inShape = x.shape();
        long[] kept = Shapes.keepDims(inShape, ax);
        Tensor out;
        if (SmallArrays.fits(x)) {
            out = SmallArrays.sum(x, ax, keepDims ? kept : reducedShape(inShape, ax));
        } else {
            out = new Tensor(ax.length == 0 ? x.array().dup() : x.array().sum(keepDims, ax));
        }
        return Graph.record(out, "Sum", x, g -> g.reshape(kept).broadcastTo(inShape));
    }

    static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        int[] ax = Shapes.normalizeAxes("mean", axes, x.rank());
        long count = 1;
        for (int a : ax) {
            count *= x.shape()[a];
        }
        return sum(x, keepDims, axes).div(count);
    }

    static Tensor max(Tensor x, boolean keepDims, int... axes) {
        int[] ax = Shapes.normalizeAxes("max", axes, x.rank());
        if (x.size() == 0) {
            throw new IllegalArgumentException("max: cannot reduce an empty tensor of shape " + Shapes.format(x.shape()));
        }
        long[] inShape = x.shape();
        long[] kept = Shapes.keepDims(inShape, ax);
        INDArray maxKept = ax.length == 0 ? x.array().dup() : x.array().max(true, ax);
        // ties share the gradient equally
        INDArray isMax = Nd4j.exec(new EqualTo(x.array(), maxKept))[0].castTo(x.dataType());
        INDArray share = ax.length == 0 ? isMax : isMax.divi(isMax.sum(true, ax));
        Tensor weights = new Tensor(share);
        INDArray out = keepDims ? maxKept : maxKept.reshape(reducedShape(inShape, ax));
        return Graph.record(new Tensor(out), "Max", x, g -> g.reshape(kept).broadcastTo(inShape).mul(weights));
    }

    private static long[] reducedShape(long[] shape, int[] axes) {
        long[] out = new long[shape.length - axes.length];
        int j = 0;
        for (int i = 0, k = 0; i < shape.length; i++) {
            if (k < axes.length && axes[k] == i) {
                k++;
            } else {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
