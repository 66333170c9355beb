package org.grad4j.core;

/**
 * The Java kernels: plain loops over row-major {@code float[]} values, for small float32 tensors. They know
 * nothing of {@link Tensor} or ND4J; {@link Kernels} decides when they run and wraps their results.
 *
 * <p>Every kernel computes what its ND4J counterpart computes, in float32 (sums accumulate in double, as
 * precise as ND4J's or more), with NumPy broadcasting.
 */
final class JavaKernels {
    interface Unary {
        float apply(float x);
    }

    interface Binary {
        float apply(float x, float y);
    }

    private JavaKernels() {
    }

    static float[] unary(float[] x, Unary f) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.apply(x[i]);
        }
        return out;
    }

    /** {@code f(x, y)} with NumPy broadcasting of shapes {@code xs} and {@code ys} to {@code shape} (already checked). */
    static float[] binary(float[] x, long[] xs, float[] y, long[] ys, long[] shape, Binary f) {
        float[] out = new float[(int) Shapes.size(shape)];
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
            int[] sa = broadcastStrides(xs, shape);
            int[] sb = broadcastStrides(ys, shape);
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
        return out;
    }

    /** {@code mask[i] != 0 ? x[i] : y[i]}, all of one length. */
    static float[] where(float[] mask, float[] x, float[] y) {
        float[] out = new float[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = mask[i] != 0 ? x[i] : y[i];
        }
        return out;
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

    /** The sum of {@code x} (shape {@code in}) over {@code axes} (sorted, distinct), in row-major order of the kept axes. */
    static float[] sum(float[] x, long[] in, int[] axes) {
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
        return out;
    }

    /**
     * {@code op(x[c]) · op(y[c])} for each of {@code count} pairs of {@code [n, k]} and {@code [k, m]} matrices
     * (before the transposes) stored one after another.
     */
    static float[] matmul(float[] x, float[] y, boolean ta, boolean tb, int count, int n, int k, int m) {
        float[] out = new float[count * n * m];
        for (int c = 0; c < count; c++) {
            int xo = c * n * k;
            int yo = c * k * m;
            int oo = c * n * m;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        float xv = ta ? x[xo + p * n + i] : x[xo + i * k + p];
                        float yv = tb ? y[yo + j * k + p] : y[yo + p * m + j];
                        s += (double) xv * yv;
                    }
                    // + 0f: an underflowing negative product leaves -0.0 here, where BLAS adds it to C's +0.0
                    out[oo + i * m + j] = (float) s + 0f;
                }
            }
        }
        return out;
    }

    /**
     * TensorFlow's {@code sigmoid_cross_entropy_with_logits}, {@code max(x, 0) - x*z + log1p(exp(-|x|))}, in
     * double and rounded once.
     */
    static float[] sigmoidCrossEntropy(float[] z, float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (Math.max(x[i], 0.0) - (double) (x[i] * z[i]) + Math.log1p(Math.exp(-Math.abs((double) x[i]))));
        }
        return out;
    }
}
