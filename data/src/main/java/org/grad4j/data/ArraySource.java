package org.grad4j.data;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    /** Row {@code r} of {@code a} without its first axis: a scalar for a vector. */
    static INDArray row(INDArray a, long r) {
        if (a.rank() == 1) {
            return a.getScalar(r);
        }
        if (a.offset() == 0) {
            return a.slice(r);
        }
        // ND4J 1.0.0-M2.1's slice() of a view that starts inside its buffer (x.get(interval(5, 15), all())) gives
        // scalars past a few rows; a tensor along the other axes is right
        int[] rest = new int[a.rank() - 1];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = i + 1;
        }
        return a.tensorAlongDimension(r, rest);
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
        INDArray[] originals = {x, y, w};
        INDArray[] out = new INDArray[3];
        for (int k = 0; k < 3; k++) {
            if (m[k] != null) {
                long[] shape = originals[k].shape().clone();
                shape[0] = to - from;
                out[k] = copyRows(m[k], order, from, to, shape);
            }
        }
        return new Element(out[0], out[1], out[2]);
    }

    /**
     * Copies the rows as bytes straight from the matrix's buffer: ND4J's own gathers (pullRows, getRows, a
     * SpecifiedIndex) cost milliseconds per batch of a 60000-row array, the byte copy tens of microseconds.
     */
    private static INDArray copyRows(INDArray m, int[] order, int from, int to, long[] shape) {
        int count = to - from;
        long rowBytes = m.size(1) * m.dataType().width();
        if (m.length() * m.dataType().width() > Integer.MAX_VALUE || !m.dataType().isNumerical()) {
            int[] rows = order == null ? java.util.stream.IntStream.range(from, to).toArray() : Arrays.copyOfRange(order, from, to);
            return Nd4j.pullRows(m, 1, rows, 'c').reshape('c', shape);
        }
        INDArray out = Nd4j.createUninitialized(m.dataType(), shape, 'c');   // the rows' bytes, laid out as [count, ...]
        ByteBuffer source = m.data().asNio();
        ByteBuffer target = out.data().asNio();
        if (order == null) {
            target.put(0, source, (int) (from * rowBytes), (int) (count * rowBytes));
        } else {
            for (int i = 0; i < count; i++) {
                target.put((int) (i * rowBytes), source, (int) (order[from + i] * rowBytes), (int) rowBytes);
            }
        }
        return out;
    }

    private INDArray[] matrices() {
        INDArray[] m = matrices;
        if (m == null) {
            m = new INDArray[] {matrix(x), matrix(y), matrix(w)};
            matrices = m;
        }
        return m;
    }

    /** The array as [N, rest], c-order rows from the start of its own buffer (copied once if it is not so). */
    private static INDArray matrix(INDArray a) {
        if (a == null) {
            return null;
        }
        long n = a.size(0);
        INDArray m = a.reshape('c', n, n == 0 ? 0 : a.length() / n);
        if (m.offset() != 0 || m.stride(1) != 1 || m.stride(0) != m.size(1)) {
            m = m.dup('c');
        }
        return m;
    }

    @Override
    public String toString() {
        return "fromArrays(x " + Arrays.toString(x.shape()) + (y == null ? "" : ", y " + Arrays.toString(y.shape()))
                + (w == null ? "" : ", sampleWeight " + Arrays.toString(w.shape())) + ")";
    }
}
