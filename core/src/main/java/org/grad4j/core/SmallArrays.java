package org.grad4j.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Java loops for small float32 tensors (at most {@link #LIMIT} elements). On this hardware one ND4J op costs
 * 7-20 µs and one new ND4J array 4-10 µs whatever its size, so a seed-sized model (one weight, a batch of
 * 32) spends its whole step in dispatch; the same arithmetic in Java takes nanoseconds. Results are
 * {@link Tensor}s that keep their values in a Java array until something asks for an ND4J array.
 *
 * <p>Every kernel computes what its ND4J counterpart computes, in float32 (sums accumulate in double, as
 * precise as ND4J's or more), with NumPy broadcasting.
 */
final class SmallArrays {
    /** The largest tensor (in elements) kept in a Java array and handled by Java loops. */
    static final int LIMIT = 4096;
    /**
     * The largest ND4J-backed input read into Java: reading costs about 10 ns an element, so past this an
     * ND4J op is cheaper.
     */
    static final int READ_LIMIT = 1024;
    /** The most multiply-adds a Java matrix product may take (about 20 µs); BLAS does more faster. */
    static final int MATMUL_LIMIT = 32_768;

    interface Unary {
        float apply(float x);
    }

    interface Binary {
        float apply(float x, float y);
    }

    private SmallArrays() {
    }

    /** True if {@code t} is float32 and small enough for Java loops. */
    static boolean fits(Tensor t) {
        return t.isSmallBacked() || (t.size() <= READ_LIMIT && t.dataType() == DataType.FLOAT);
    }

    static boolean fits(Tensor a, Tensor b) {
        return fits(a) && fits(b);
    }

    /** The values in row-major order. Not a copy for a small-backed tensor: never write to it. */
    static float[] values(Tensor t) {
        if (t.isSmallBacked()) {
            return t.small;
        }
        INDArray a = t.array();
        int n = (int) a.length();
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        if (a.isScalar() || a.rank() == 0) {
            out[0] = a.getFloat(0);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = a.getFloat((long) i);
            }
        }
        return out;
    }

    static Tensor unary(Tensor a, Unary f) {
        float[] x = values(a);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.apply(x[i]);
        }
        return new Tensor(out, a.shape().clone());
    }

    /**
     * {@code f(a, b)} with NumPy broadcasting to {@code shape} (already checked), or null if the result
     * would be larger than {@link #LIMIT}.
     */
    static Tensor binary(Tensor a, Tensor b, long[] shape, Binary f) {
        long size = Shapes.size(shape);
        if (size > LIMIT) {
            return null;
        }
        float[] x = values(a);
        float[] y = values(b);
        float[] out = new float[(int) size];
        if (x.length == out.length && y.length == out.length) {
            for (int i = 0; i < out.length; i++) {
                out[i] = f.apply(x[i], y[i]);
            }
        } else if (y.length == 1 && x.length == out.length) {
            float c = y[0];
            for (int i = 0; i < out.length; i++) {
                out[i] = f.apply(x[i], c);
            }
        } else if (x.length == 1 && y.length == out.length) {
            float c = x[0];
            for (int i = 0; i < out.length; i++) {
                out[i] = f.apply(c, y[i]);
            }
        } else {
            int[] sa = broadcastStrides(a.shape(), shape);
            int[] sb = broadcastStrides(b.shape(), shape);
            int rank = shape.length;
            int[] index = new int[rank];
            int ia = 0;
            int ib = 0;
            for (int i = 0; i < out.length; i++) {
                out[i] = f.apply(x[ia], y[ib]);
                // odometer over the output's indices, moving both inputs' offsets along
                for (int d = rank - 1; d >= 0; d--) {
                    ia += sa[d];
                    ib += sb[d];
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    ia -= sa[d] * index[d];
                    ib -= sb[d] * index[d];
                    index[d] = 0;
                }
            }
        }
        return new Tensor(out, shape.clone());
    }

    /** Row-major strides of {@code from} seen in the broadcast shape {@code to}: 0 along broadcast axes. */
    private static int[] broadcastStrides(long[] from, long[] to) {
        int[] strides = new int[to.length];
        int stride = 1;
        for (int d = to.length - 1, k = from.length - 1; d >= 0; d--, k--) {
            long dim = k >= 0 ? from[k] : 1;
            strides[d] = dim == 1 ? 0 : stride;
            stride *= (int) dim;
        }
        return strides;
    }

    /** {@code a} repeated along broadcast axes to {@code shape}, or null if the result is too large. */
    static Tensor broadcastTo(Tensor a, long[] shape) {
        return binary(a, Tensor.scalar(0f), shape, (x, zero) -> x);
    }

    /**
     * The sum over {@code axes} (sorted, distinct), keeping them as size-1 dimensions; {@code reshapeTo}
     * gives the result's final shape (with or without those dimensions).
     */
    static Tensor sum(Tensor a, int[] axes, long[] reshapeTo) {
        float[] x = values(a);
        long[] in = a.shape();
        long[] kept = Shapes.keepDims(in, axes);
        int outSize = (int) Shapes.size(kept);
        double[] acc = new double[outSize];
        if (outSize == 1) {
            double s = 0;
            for (float v : x) {
                s += v;
            }
            acc[0] = s;
        } else {
            int[] so = broadcastStrides(kept, in);
            int rank = in.length;
            int[] index = new int[rank];
            int io = 0;
            for (int i = 0; i < x.length; i++) {
                acc[io] += x[i];
                for (int d = rank - 1; d >= 0; d--) {
                    io += so[d];
                    if (++index[d] < in[d]) {
                        break;
                    }
                    io -= so[d] * index[d];
                    index[d] = 0;
                }
            }
        }
        float[] out = new float[outSize];
        for (int i = 0; i < outSize; i++) {
            out[i] = (float) acc[i];
        }
        return new Tensor(out, reshapeTo.clone());
    }

    /**
     * {@code op(a[i]) · op(b[i])} for each of {@code count} pairs of matrices stored one after another ({@code count}
     * 1: two matrices), as a tensor of {@code shape}; null if the result or the work is too large.
     */
    static Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb, long count, long n, long k, long m, long[] shape) {
        if (count * n * m > LIMIT || count * n * m * k > MATMUL_LIMIT) {
            return null;
        }
        float[] x = values(a);
        float[] y = values(b);
        int ni = (int) n;
        int ki = (int) k;
        int mi = (int) m;
        float[] out = new float[(int) (count * n * m)];
        for (int c = 0; c < count; c++) {
            int xo = c * ni * ki;
            int yo = c * ki * mi;
            int oo = c * ni * mi;
            for (int i = 0; i < ni; i++) {
                for (int j = 0; j < mi; j++) {
                    double s = 0;
                    for (int p = 0; p < ki; p++) {
                        float xv = ta ? x[xo + p * ni + i] : x[xo + i * ki + p];
                        float yv = tb ? y[yo + j * ki + p] : y[yo + p * mi + j];
                        s += (double) xv * yv;
                    }
                    // + 0f: an underflowing negative product leaves -0.0 here, where BLAS adds it to C's +0.0
                    out[oo + i * mi + j] = (float) s + 0f;
                }
            }
        }
        return new Tensor(out, shape.clone());
    }

    /** The same values under a new shape of the same size. */
    static Tensor reshape(Tensor a, long[] shape) {
        return new Tensor(a.isSmallBacked() ? a.small : values(a), shape.clone());
    }
}
