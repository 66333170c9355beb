package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Ops that move values around without arithmetic; each gradient moves them back. */
final class ShapeOps {
    private ShapeOps() {
    }

    static Tensor reshape(Tensor x, long... shape) {
        long[] target = resolve(x, shape);
        long[] inShape = x.shape();
        if (Arrays.equals(target, inShape)) {
            return x;
        }
        Tensor out = Kernels.reshape(x, target);
        return Graph.record(out, "Reshape", x, g -> g.reshape(inShape));
    }

    private static long[] resolve(Tensor x, long[] shape) {
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension may be -1, got " + Shapes.format(shape));
                }
                unknown = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Shapes.format(shape));
            } else {
                known *= shape[i];
            }
        }
        long[] out = shape.clone();
        if (unknown >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.format(x.shape()) + " ("
                        + x.size() + " elements) into " + Shapes.format(shape));
            }
            out[unknown] = x.size() / known;
        } else if (known != x.size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.format(x.shape()) + " (" + x.size()
                    + " elements) into " + Shapes.format(shape) + " (" + known + " elements)");
        }
        return out;
    }

    /** Permutes axes; {@code null} reverses them. */
    static Tensor permute(Tensor x, int[] axes) {
        int rank = x.rank();
        int[] perm = new int[rank];
        if (axes == null || axes.length == 0) {
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        } else {
            if (axes.length != rank) {
                throw new IllegalArgumentException("transpose: " + axes.length + " axes " + Arrays.toString(axes)
                        + " for a tensor of shape " + Shapes.format(x.shape()));
            }
            boolean[] used = new boolean[rank];
            for (int i = 0; i < rank; i++) {
                int a = Shapes.normalizeAxis("transpose", axes[i], rank);
                if (used[a]) {
                    throw new IllegalArgumentException("transpose: axes " + Arrays.toString(axes) + " are not a permutation");
                }
                used[a] = true;
                perm[i] = a;
            }
        }
        if (rank < 2) {
            return x;
        }
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[perm[i]] = i;
        }
        return Graph.record(new Tensor(x.array().permute(perm)), "Transpose", x, g -> g.transpose(inverse));
    }

    static Tensor expandDims(Tensor x, int axis) {
        int rank = x.rank();
        int a = Shapes.normalizeAxis("expandDims", axis, rank + 1);
        long[] shape = new long[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) {
            shape[i] = i == a ? 1 : x.shape()[j++];
        }
        return reshape(x, shape);
    }

    static Tensor squeeze(Tensor x, int axis) {
        int a = Shapes.normalizeAxis("squeeze", axis, x.rank());
        long[] in = x.shape();
        Validate.isTrue(in[a] == 1, "squeeze: dimension %d of shape %s is not 1", axis, Shapes.format(in));
        long[] shape = new long[in.length - 1];
        for (int i = 0, j = 0; i < in.length; i++) {
            if (i != a) {
                shape[j++] = in[i];
            }
        }
        return reshape(x, shape);
    }

    static Tensor broadcastTo(Tensor x, long... shape) {
        long[] in = x.shape();
        if (Arrays.equals(in, shape)) {
            return x;
        }
        Validate.isTrue(Shapes.broadcastsTo(in, shape), "broadcastTo: shape %s does not broadcast to %s",
                Shapes.format(in), Shapes.format(shape));
        Tensor out = Kernels.broadcastTo(x, shape);
        return Graph.record(out, "BroadcastTo", x, g -> g.sumToShape(in));
    }

    static Tensor sumToShape(Tensor x, long... shape) {
        long[] in = x.shape();
        if (Arrays.equals(in, shape)) {
            return x;
        }
        Validate.isTrue(Shapes.broadcastsTo(shape, in), "sumToShape: shape %s does not reduce to %s",
                Shapes.format(in), Shapes.format(shape));
        int lead = in.length - shape.length;
        int[] axes = new int[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && in[i] != 1)) {
                axes[n++] = i;
            }
        }
        Tensor out = Kernels.sum(x, Arrays.copyOf(axes, n), shape.clone(), true);   // shape may be the caller's
        return Graph.record(out, "SumToShape", x, g -> g.broadcastTo(in));
    }
}
