package org.grad4j.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.bool.IsNaN;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * NumPy's NaN rules for the ND4J ops that drop a NaN. libnd4j's maximum is {@code a > b ? a : b}, so
 * {@code maximum(NaN, 0)} is 0; its max and min reductions skip NaN elements; its clip clamps NaN to a bound;
 * its sign of NaN is 0. NumPy, Keras and PyTorch give NaN in each case, and so does the Java path of every
 * grad4j op, so a NaN in the data shows up in the loss whatever the tensor sizes.
 */
final class Nans {
    private Nans() {
    }

    /** {@code out} with NaN wherever {@code source} (of the same shape) is NaN; changes {@code out} in place. */
    static INDArray keep(INDArray out, INDArray source) {
        // z[i] = isNaN(y[i]) ? y[i] : x[i]
        Nd4j.exec(new CompareAndSet(out, source, out, Conditions.isNan()));
        return out;
    }

    /** True if any element of {@code x} is NaN: one pass, so the common case skips the repairs below. */
    static boolean any(INDArray x) {
        return Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.bool.IsNaN(x)).getDouble(0) != 0;
    }

    /** 1 where {@code x} is NaN, 0 elsewhere, in {@code x}'s data type. */
    static INDArray isNaN(INDArray x) {
        return Nd4j.exec(new IsNaN(x, Nd4j.createUninitialized(DataType.BOOL, x.shape()))).castTo(x.dataType());
    }

    /**
     * {@code reduced} (a reduction of {@code x} over {@code axes}, dimensions kept) with NaN wherever that
     * part of {@code x} holds a NaN; changes {@code reduced} in place.
     */
    static INDArray keepAlong(INDArray reduced, INDArray x, int[] axes) {
        if (!any(x)) {
            return reduced;
        }
        INDArray count = axes.length == 0 ? isNaN(x) : isNaN(x).sum(true, axes);
        // 1 where that part has no NaN, 0 where it has; then 0/1 is 0 and 0/0 the NaN marker
        INDArray clean = count.gt(0.0).castTo(x.dataType()).rsubi(1.0);
        return keep(reduced, clean.rdivi(0.0).reshape(reduced.shape()));
    }

    /** NumPy's sign: -1, 0 (for both zeros) or 1, and NaN for NaN (libnd4j's sign gives 0 there). */
    static INDArray sign(INDArray x) {
        return keep(Transforms.sign(x, true), x);
    }
}
