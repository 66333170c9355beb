package org.grad4j.core;

import java.util.Arrays;

/**
 * Matrix products as single GEMM calls with transpose flags: a product of transposed views makes ND4J copy or
 * take a slow strided path, while {@code Nd4j.gemm} with flags hands the layout to BLAS. Shapes follow NumPy's
 * matmul.
 */
final class MatrixOps {
    private MatrixOps() {
    }

    /**
     * {@code op(a) · op(b)}, op transposing the last two axes when asked, with NumPy's rules: a rank-1 operand is
     * a row ({@code a}) or a column ({@code b}) vector whose added axis is dropped from the result, and the axes
     * before the last two are batch axes that broadcast. Two matrices are one GEMM; a batch of matrices times
     * one matrix (no transpose of the batch) is folded into one GEMM; anything else is a batched product.
     */
    static Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        long[] as = a.shape();
        long[] bs = b.shape();
        if (as.length == 0 || bs.length == 0) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.format(as) + " and " + Shapes.format(bs)
                    + ": a scalar has no matrix product (use mul)");
        }
        ElementwiseOps.checkSameType("matmul", a, b);
        long ka = as.length == 1 ? as[0] : as[as.length - (ta ? 2 : 1)];
        long kb = bs.length == 1 ? bs[0] : bs[bs.length - (tb ? 1 : 2)];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.format(as) + (ta ? "ᵀ" : "") + " and "
                    + Shapes.format(bs) + (tb ? "ᵀ" : "") + " are incompatible: inner dimensions " + ka + " and " + kb
                    + " differ");
        }
        if (as.length == 1 || bs.length == 1) {
            return vectorProduct(a, b, ta, tb);
        }
        if (as.length == 2 && bs.length == 2) {
            return matrices(a, b, ta, tb);
        }
        if (bs.length == 2 && !ta) {
            // [..., n, k] · [k, m]: the rows of every matrix of the batch times one matrix, one GEMM
            long rows = a.size() / ka;
            long[] outShape = as.clone();
            outShape[as.length - 1] = tb ? bs[0] : bs[1];
            return matrices(a.reshape(rows, ka), b, false, tb).reshape(outShape);
        }
        return batches(a, b, ta, tb);
    }

    /** NumPy's rank-1 rules: a vector {@code a} is {@code [1, k]}, a vector {@code b} is {@code [k, 1]}. */
    private static Tensor vectorProduct(Tensor a, Tensor b, boolean ta, boolean tb) {
        boolean rowA = a.rank() == 1;
        boolean columnB = b.rank() == 1;
        // a vector has no axes to transpose: its flag is ignored
        Tensor out = matmul(rowA ? a.reshape(1, a.size()) : a, columnB ? b.reshape(b.size(), 1) : b, !rowA && ta,
                !columnB && tb);
        long[] s = out.shape();
        int drop = (rowA ? 1 : 0) + (columnB ? 1 : 0);
        long[] shape = Arrays.copyOf(s, s.length - drop);
        if (!columnB && rowA) {
            shape[shape.length - 1] = s[s.length - 1];   // [..., 1, m] -> [..., m]
        }
        return out.reshape(shape);
    }

    /**
     * Batched products: the batch axes broadcast (NumPy), each operand is repeated to the common batch (whose
     * gradient sums back over the repeats) and folded to {@code [batch, rows, columns]}.
     */
    private static Tensor batches(Tensor a, Tensor b, boolean ta, boolean tb) {
        long[] as = a.shape();
        long[] bs = b.shape();
        long[] aBatch = Arrays.copyOf(as, as.length - 2);
        long[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        long[] batch;
        try {
            batch = Shapes.broadcast("matmul", aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: the batch dimensions " + Shapes.format(aBatch) + " of "
                    + Shapes.format(as) + " and " + Shapes.format(bBatch) + " of " + Shapes.format(bs)
                    + " do not broadcast", e);
        }
        long count = Shapes.size(batch);
        Tensor a3 = a.broadcastTo(concat(batch, as[as.length - 2], as[as.length - 1])).reshape(count, as[as.length - 2],
                as[as.length - 1]);
        Tensor b3 = b.broadcastTo(concat(batch, bs[bs.length - 2], bs[bs.length - 1])).reshape(count, bs[bs.length - 2],
                bs[bs.length - 1]);
        Tensor out = batchMatmul(a3, b3, ta, tb);
        return out.reshape(concat(batch, out.shape()[1], out.shape()[2]));
    }

    private static long[] concat(long[] batch, long rows, long columns) {
        long[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = rows;
        shape[batch.length + 1] = columns;
        return shape;
    }

    /** {@code op(a[i]) · op(b[i])} for each i of {@code a: [B, ., .]} and {@code b: [B, ., .]}. */
    private static Tensor batchMatmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        long[] as = a.shape();
        long[] bs = b.shape();
        long count = as[0];
        long n = ta ? as[2] : as[1];
        long k = ta ? as[1] : as[2];
        long m = tb ? bs[1] : bs[2];
        Tensor out = Kernels.batchMatmul(a, b, ta, tb, count, n, k, m);
        // the 2-D rules, matrix by matrix
        Vjp da = ta ? g -> batchMatmul(b, g, tb, true) : g -> batchMatmul(g, b, false, !tb);
        Vjp db = tb ? g -> batchMatmul(g, a, true, ta) : g -> batchMatmul(a, g, !ta, false);
        return Graph.record(out, "BatchMatMul", a, b, da, db);
    }

    /** {@code op(a) · op(b)} for matrices: one GEMM, or the Java loop for small ones. */
    private static Tensor matrices(Tensor a, Tensor b, boolean ta, boolean tb) {
        long[] as = a.shape();
        long[] bs = b.shape();
        long n = ta ? as[1] : as[0];
        long k = ta ? as[0] : as[1];
        long m = tb ? bs[0] : bs[1];
        Tensor out = Kernels.matmul(a, b, ta, tb, n, k, m);
        // With C = op(A)·op(B): dA and dB are again single products with transpose flags.
        Vjp da = ta ? g -> b.matmul(g, tb, true) : g -> g.matmul(b, false, !tb);
        Vjp db = tb ? g -> g.matmul(a, true, ta) : g -> a.matmul(g, !ta, false);
        return Graph.record(out, "MatMul", a, b, da, db);
    }
}
