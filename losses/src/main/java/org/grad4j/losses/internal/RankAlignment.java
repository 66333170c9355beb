package org.grad4j.losses.internal;

import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' {@code squeeze_or_expand_to_same_rank}: when two operands' ranks differ by exactly one and the
 * higher-ranked one ends in an axis of size 1, that axis is dropped, or (when the other operand is a
 * vector and {@code expandRank1}) the vector gains a trailing axis instead. So labels {@code [32]} meet
 * predictions {@code [32, 1]} as {@code [32, 1]}, and weights {@code [32, 1]} meet losses {@code [32]}
 * as {@code [32, 1]}. Any other pair is returned unchanged.
 */
public final class RankAlignment {
    private RankAlignment() {
    }

    /** What to do to one operand. */
    private enum Step { KEEP, EXPAND_FIRST, SQUEEZE_FIRST, EXPAND_SECOND, SQUEEZE_SECOND }

    private static Step decide(long[] s1, long[] s2, boolean expandRank1) {
        if (s1.length == s2.length + 1 && s1[s1.length - 1] == 1) {
            return s2.length == 1 && expandRank1 ? Step.EXPAND_SECOND : Step.SQUEEZE_FIRST;
        }
        if (s2.length == s1.length + 1 && s2[s2.length - 1] == 1) {
            return s1.length == 1 && expandRank1 ? Step.EXPAND_FIRST : Step.SQUEEZE_SECOND;
        }
        return Step.KEEP;
    }

    /** {@code squeeze_or_expand_to_same_rank(x1, x2)} with Keras' default {@code expand_rank_1=True}. */
    public static Tensor[] squeezeOrExpand(Tensor x1, Tensor x2) {
        return squeezeOrExpand(x1, x2, true);
    }

    /** The two tensors, ranks aligned (recorded ops, so gradients flow through). */
    public static Tensor[] squeezeOrExpand(Tensor x1, Tensor x2, boolean expandRank1) {
        switch (decide(x1.shape(), x2.shape(), expandRank1)) {
            case EXPAND_FIRST:
                return new Tensor[] {x1.expandDims(-1), x2};
            case SQUEEZE_FIRST:
                return new Tensor[] {x1.squeeze(-1), x2};
            case EXPAND_SECOND:
                return new Tensor[] {x1, x2.expandDims(-1)};
            case SQUEEZE_SECOND:
                return new Tensor[] {x1, x2.squeeze(-1)};
            default:
                return new Tensor[] {x1, x2};
        }
    }

    /** The same rule for raw arrays (metrics); reshapes are views where ND4J can make them. */
    public static INDArray[] squeezeOrExpand(INDArray x1, INDArray x2, boolean expandRank1) {
        switch (decide(x1.shape(), x2.shape(), expandRank1)) {
            case EXPAND_FIRST:
                return new INDArray[] {x1.reshape('c', withTrailingOne(x1.shape())), x2};
            case SQUEEZE_FIRST:
                return new INDArray[] {x1.reshape('c', withoutLast(x1.shape())), x2};
            case EXPAND_SECOND:
                return new INDArray[] {x1, x2.reshape('c', withTrailingOne(x2.shape()))};
            case SQUEEZE_SECOND:
                return new INDArray[] {x1, x2.reshape('c', withoutLast(x2.shape()))};
            default:
                return new INDArray[] {x1, x2};
        }
    }

    static long[] withTrailingOne(long[] shape) {
        long[] out = java.util.Arrays.copyOf(shape, shape.length + 1);
        out[shape.length] = 1;
        return out;
    }

    static long[] withoutLast(long[] shape) {
        return java.util.Arrays.copyOf(shape, shape.length - 1);
    }
}
