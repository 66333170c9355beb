package org.grad4j.core;

/** Sums, means, maxima and minima over axes; each gradient is the upstream gradient broadcast back. */
final class ReductionOps {
    private ReductionOps() {
    }

    static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        int[] ax = Shapes.normalizeAxes("sum", axes, x.rank());
        long[] inShape = x.shape();
        long[] kept = Shapes.keepDims(inShape, ax);
        long[] outShape = keepDims ? kept : reducedShape(inShape, ax);
        Tensor out = Kernels.sum(x, ax, outShape, keepDims);
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
        return extreme("max", x, keepDims, axes);
    }

    static Tensor min(Tensor x, boolean keepDims, int... axes) {
        return extreme("min", x, keepDims, axes);
    }

    /**
     * The maximum or minimum over {@code axes}. A NaN anywhere in a reduced part makes its result NaN, as in
     * NumPy (libnd4j skips NaN elements). The gradient is shared equally by the elements equal to the result
     * (ties), or, where it is NaN, by the NaN elements (PyTorch's rule for amax and amin).
     */
    private static Tensor extreme(String op, Tensor x, boolean keepDims, int... axes) {
        int[] ax = Shapes.normalizeAxes(op, axes, x.rank());
        if (x.size() == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce an empty tensor of shape " + Shapes.format(x.shape()));
        }
        long[] inShape = x.shape();
        long[] kept = Shapes.keepDims(inShape, ax);
        Tensor extremeKept = Kernels.extreme(op.equals("max"), x, ax, kept);
        Tensor out = keepDims ? extremeKept : Kernels.reshape(extremeKept, reducedShape(inShape, ax));
        if (!Graph.isRecording() || !Graph.isTracked(x)) {
            return out;
        }
        Tensor share = Kernels.extremeShare(x, extremeKept, ax);
        String name = op.equals("max") ? "Max" : "Min";
        return Graph.record(out, name, x, g -> g.reshape(kept).broadcastTo(inShape).mul(share));
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
