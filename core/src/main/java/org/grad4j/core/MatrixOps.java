package org.grad4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products as single GEMM calls with transpose flags: DESIGN.md measured products of transposed
 * views 3-10x slower than {@code Nd4j.gemm} with flags.
 */
final class MatrixOps {
    private MatrixOps() {
    }

    /**
     * {@code op(a) · op(b)}. A rank-3+ {@code a} (without transpose) is folded into one matrix of rows,
     * so a batch of matrices times one matrix is still one GEMM.
     */
    static Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        long[] as = a.shape();
        long[] bs = b.shape();
        if (as.length < 2 || bs.length != 2 || (as.length > 2 && ta)) {
            throw new IllegalArgumentException("matmul: unsupported shapes " + Shapes.format(as) + " and " + Shapes.format(bs)
                    + " (supported: a matrix or a batch of matrices [..., n, k] times a matrix [k, m])");
        }
        ElementwiseOps.checkSameType("matmul", a, b);
        if (as.length > 2) {
            long k = as[as.length - 1];
            long rows = a.size() / k;
            long[] outShape = as.clone();
            outShape[as.length - 1] = tb ? bs[0] : bs[1];
            return matmul(a.reshape(rows, k), b, false, tb).reshape(outShape);
        }
        long n = ta ? as[1] : as[0];
        long ka = ta ? as[0] : as[1];
        long kb = tb ? bs[1] : bs[0];
        long m = tb ? bs[0] : bs[1];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.format(as) + (ta ? "ᵀ" : "") + " and "
                    + Shapes.format(bs) + (tb ? "ᵀ" : "") + " are incompatible: inner dimensions " + ka + " and " + kb
                    + " differ");
        }
        Tensor out = SmallArrays.fits(a, b) ? SmallArrays.matmul(a, b, ta, tb, n, ka, m) : null;
        if (out == null) {
            INDArray c = Nd4j.createUninitialized(a.dataType(), n, m);
            Nd4j.gemm(a.array(), b.array(), c, ta, tb, 1.0, 0.0);
            out = new Tensor(c);
        }
        // With C = op(A)·op(B): dA and dB are again single products with transpose flags.
        Vjp da = ta ? g -> b.matmul(g, tb, true) : g -> g.matmul(b, false, !tb);
        Vjp db = tb ? g -> g.matmul(a, true, ta) : g -> a.matmul(g, !ta, false);
        return Graph.record(out, "MatMul", a, b, da, db);
    }
}
