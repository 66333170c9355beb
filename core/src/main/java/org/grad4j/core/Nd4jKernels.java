package org.grad4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Where;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ND4J kernels that take more than one ND4J call, beside the {@link JavaKernels}; {@link Kernels} chooses.
 * Each gives the bits its Java counterpart gives.
 */
final class Nd4jKernels {
    /** Below this magnitude tanh(x) rounds to x in float32 (x³/3 is under half an ulp of x). */
    private static final double TANH_TINY = 0x1p-13;

    private Nd4jKernels() {
    }

    /** {@code x} repeated to {@code shape}, which it broadcasts to (checked). */
    static INDArray broadcast(INDArray x, long[] shape) {
        if (Arrays.equals(x.shape(), shape)) {
            return x;
        }
        // ND4J's broadcast fails when the rank grows ([2,1] or [2,3] to [4,2,3]); align the rank with leading 1s
        // first, so it only ever broadcasts between equal ranks
        return alignRank(x, shape.length).broadcast(shape);
    }

    /** {@code x} with leading dimensions of size 1 up to {@code rank}. */
    static INDArray alignRank(INDArray x, int rank) {
        long[] in = x.shape();
        if (in.length >= rank) {
            return x;
        }
        long[] aligned = new long[rank];
        Arrays.fill(aligned, 1);
        System.arraycopy(in, 0, aligned, rank - in.length, in.length);
        return x.reshape('c', aligned);
    }

    /**
     * {@code f} of a float32 array computed in float64 and rounded once, as the Java kernels compute it
     * ({@code (float) Math.sin(x)}): libnd4j's float32 sin and cos are off by an ulp now and then (sin(0.54136866)
     * gave 0.5153094, not 0.51530945). Other types go to {@code f} directly.
     */
    static INDArray inFloat64(INDArray x, java.util.function.UnaryOperator<INDArray> f) {
        return x.dataType() == DataType.FLOAT ? f.apply(x.castTo(DataType.DOUBLE)).castTo(DataType.FLOAT) : f.apply(x.dup());
    }

    /**
     * tanh as NumPy gives it, for arrays that do not take the Java loop ({@link ActivationOps#tanh(float)} says
     * why libnd4j's float32 tanh will not do): float32 is computed in float64 and rounded, tiny inputs are
     * returned as they are.
     */
    static INDArray tanh(INDArray x) {
        if (x.dataType() != DataType.FLOAT) {
            return Transforms.tanh(x, true);
        }
        INDArray rounded = Transforms.tanh(x.castTo(DataType.DOUBLE), false).castTo(DataType.FLOAT);
        INDArray tiny = Transforms.abs(x, true).lt(TANH_TINY);
        return where(tiny, x, rounded);
    }

    /**
     * {@code x > max ? max : x < min ? min : x}, the Java kernel's clamp, for {@code min == max} (ND4J's ClipByValue
     * refuses it; -0.0 and 0.0 are equal): a value already inside keeps its bits and NaN stays NaN, as NumPy's clip.
     */
    static INDArray clipToPoint(INDArray x, double min, double max) {
        INDArray low = where(x.lt(min), x.ulike().assign(min), x);
        return where(x.gt(max), x.ulike().assign(max), low);
    }

    /** {@code condition ? x : y}, for a BOOL {@code condition} and {@code x}, {@code y} of its shape. */
    private static INDArray where(INDArray condition, INDArray x, INDArray y) {
        return Nd4j.exec(new Where(new INDArray[] {condition, x, y}, new INDArray[] {x.ulike()}))[0];
    }

    /** TensorFlow's {@code sigmoid_cross_entropy_with_logits}: {@code max(x, 0) - x*z + log1p(exp(-|x|))}. */
    static INDArray sigmoidCrossEntropy(INDArray z, INDArray x) {
        INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
        return Transforms.relu(x, true).subi(x.mul(z)).addi(tail);
    }
}
