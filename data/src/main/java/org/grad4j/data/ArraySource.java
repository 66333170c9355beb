package org.grad4j.data;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The rows of in-memory arrays ({@code Dataset.fromArrays}). */
final class ArraySource extends Dataset {
    private final INDArray x;
    private final INDArray y;
    private final INDArray w;
    /** x, y and w as [N, rest] c-order matrices, made once, for the one-operation gather of a batch. */
    private volatile INDArray[] matrices;

    ArraySource(INDArray x, INDArray y, INDArray w) {
        if (x == null || x.rank() < 1) {
            throw new IllegalArgumentException("Dataset.fromArrays: x must be an array with a first (sample) axis, got "
                    + (x == null ? "null" : "a scalar"));
        }
        check("y", y, x);
        check("sampleWeight", w, x);
        if (w != null && w.rank() != 1) {
            throw new IllegalArgumentException("Dataset.fromArrays: sampleWeight must be [N] = [" + x.size(0) + "], got "
                    + Arrays.toString(w.shape()));
        }
        if (x.size(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Dataset.fromArrays: at most " + Integer.MAX_VALUE + " rows, got " + x.size(0));
        }
        this.x = x;
        this.y = y;
        this.w = w;
    }

    private static void check(String name, INDArray a, INDArray x) {
        if (a != null && (a.rank() < 1 || a.size(0) != x.size(0))) {
            throw new IllegalArgumentException("Dataset.fromArrays: " + name + " must have as many rows as x ("
                    + x.size(0) + "), got shape " + Arrays.toString(a.shape()) + " for x " + Arrays.toString(x.shape()));
        }
    }

    int rows() {
        return (int) x.size(0);
    }

    @Override
    public long cardinality() {
        return x.size(0);
    }

    @Override
    public Cursor iterator() {
        return new LookaheadCursor() {
            int i;

            @Override
            protected Element fetch() {
                if (i >= rows()) {
                    return null;
                }
                int r = i++;
                return new Element(row(x, r), y == null ? null : row(y, r), w == null ? null : row(w, r));
            }
        };
    }

    private static INDArray row(INDArray a, long r) {
        return a.rank() == 1 ? a.getScalar(r) : a.slice(r);
    }

    @Override
    ArraySource rowSource() {
        return this;
    }

    @Override
    int[] nextRowOrder() {
        return null;
    }

    /** Rows {@code order[from..to)} (rows {@code from..to} when order is null) stacked, as {@code batch} would. */
    Element gather(int[] order, int from, int to) {
        INDArray[] m = matrices();
        INDArray[] out = new INDArray[3];
        INDArray[] originals = {x, y, w};
        int[] rows = order == null ? null : Arrays.copyOfRange(order, from, to);
        for (int k = 0; k < 3; k++) {
            if (m[k] == null) {
                continue;
            }
            INDArray g = rows == null
                    ? m[k].get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c')
                    : Nd4j.pullRows(m[k], 1, rows, 'c');
            long[] shape = originals[k].shape().clone();
            shape[0] = to - from;
            out[k] = g.reshape('c', shape);
        }
        return new Element(out[0], out[1], out[2]);
    }

    private INDArray[] matrices() {
        INDArray[] m = matrices;
        if (m == null) {
            m = new INDArray[] {matrix(x), matrix(y), matrix(w)};
            matrices = m;
        }
        return m;
    }

    private static INDArray matrix(INDArray a) {
        if (a == null) {
            return null;
        }
        long n = a.size(0);
        return a.reshape('c', n, n == 0 ? 0 : a.length() / n);
    }

    @Override
    public String toString() {
        return "fromArrays(x " + Arrays.toString(x.shape()) + (y == null ? "" : ", y " + Arrays.toString(y.shape()))
                + (w == null ? "" : ", sampleWeight " + Arrays.toString(w.shape())) + ")";
    }
}
