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
        float[] out = StepArrays.floats(x.length);
        for (int i = 0; i < x.length; i++) {
            out[i] = f.apply(x[i]);
        }
        return out;
    }

    /** {@code f(x, y)} with NumPy broadcasting of shapes {@code xs} and {@code ys} to {@code shape} (already checked). */
    static float[] binary(float[] x, long[] xs, float[] y, long[] ys, long[] shape, Binary f) {
        float[] out = StepArrays.floats((int) Shapes.size(shape));
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
        float[] out = StepArrays.floats(mask.length);
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
            int[] part = reducedIndex(in, kept);
            for (int i = 0; i < x.length; i++) {
                acc[part[i]] += x[i];
            }
        }
        float[] out = StepArrays.floats(outSize);
        for (int i = 0; i < outSize; i++) {
            out[i] = (float) acc[i];
        }
        return out;
    }

    /**
     * For each element of a row-major tensor of shape {@code in}, the row-major index of its part in a reduction to
     * {@code kept} (the shape with the reduced axes kept as 1).
     */
    static int[] reducedIndex(long[] in, long[] kept) {
        int size = (int) Shapes.size(in);
        int[] out = StepArrays.ints(size);
        int rank = in.length;
        // the reductions of a step are mostly over trailing axes (a loss over classes) or leading ones (a bias's
        // gradient over the batch): the same indices without the general walk's per-element carry
        int split = rank;
        while (split > 0 && kept[split - 1] == 1) {
            split--;
        }
        if (java.util.Arrays.equals(in, 0, split, kept, 0, split)) {
            int inner = (int) Shapes.size(java.util.Arrays.copyOfRange(in, split, rank));
            for (int i = 0, part = 0; i < size; i += inner, part++) {
                java.util.Arrays.fill(out, i, i + inner, part);
            }
            return out;
        }
        split = 0;
        while (split < rank && kept[split] == 1) {
            split++;
        }
        if (java.util.Arrays.equals(in, split, rank, kept, split, rank)) {
            int period = (int) Shapes.size(java.util.Arrays.copyOfRange(in, split, rank));
            for (int i = 0; i < size; i += period) {
                for (int j = 0; j < period; j++) {
                    out[i + j] = j;
                }
            }
            return out;
        }
        return walk(in, kept, out);
    }

    /** {@link #reducedIndex} for any reduced axes, into {@code out}: a walk over {@code in} carrying its index. */
    static int[] walk(long[] in, long[] kept, int[] out) {
        int size = out.length;
        int rank = in.length;
        int[] so = broadcastStrides(kept, in);
        int[] index = new int[rank];
        int io = 0;
        for (int i = 0; i < size; i++) {
            out[i] = io;
            for (int d = rank - 1; d >= 0; d--) {
                io += so[d];
                if (++index[d] < in[d]) {
                    break;
                }
                io -= so[d] * index[d];
                index[d] = 0;
            }
        }
        return out;
    }

    /**
     * The maximum ({@code max}) or minimum of {@code x} (shape {@code in}) over {@code axes}, in row-major order of
     * {@code kept}. NaN where the part holds a NaN, as NumPy (the ND4J path repairs libnd4j, which skips NaN). Of
     * equal elements (+0.0 and -0.0) the first in row-major order wins, as libnd4j's reduction keeps it (checked in
     * {@code JavaKernelsMatchNd4jTest}).
     */
    static float[] extreme(float[] x, long[] in, long[] kept, boolean max) {
        int[] part = reducedIndex(in, kept);
        float[] out = StepArrays.floats((int) Shapes.size(kept));
        boolean[] started = new boolean[out.length];
        for (int i = 0; i < x.length; i++) {
            int o = part[i];
            float v = x[i];
            float m = out[o];
            if (!started[o]) {
                out[o] = v;
                started[o] = true;
            } else if (!Float.isNaN(m) && (Float.isNaN(v) || (max ? v > m : v < m))) {
                out[o] = v;
            }
        }
        return out;
    }

    /**
     * How an extreme's gradient is shared: per element, 1 over the number of winners of its part where it is one
     * (equal to the part's result, or NaN), else 0. Counts and quotient in float, as ND4J's {@code winners / sum}.
     */
    static float[] extremeShare(float[] x, long[] in, float[] extremeKept, long[] kept) {
        int[] part = reducedIndex(in, kept);
        float[] counts = new float[extremeKept.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == extremeKept[part[i]] || Float.isNaN(x[i])) {
                counts[part[i]]++;
            }
        }
        float[] out = StepArrays.floats(x.length);
        for (int i = 0; i < x.length; i++) {
            boolean winner = x[i] == extremeKept[part[i]] || Float.isNaN(x[i]);
            out[i] = winner ? 1f / counts[part[i]] : 0f;
        }
        return out;
    }

    /**
     * Softmax cross-entropy of each row of {@code [rows, n]} logits {@code x} with labels {@code y}, in one pass
     * per row with the rounding of the composition it replaces: {@link #softmax log-softmax}, times the labels in
     * float, summed along the row in double and rounded once, then times -1 in float (as the negation op).
     */
    static float[] softmaxCrossEntropy(float[] x, float[] y, int rows, int n) {
        float[] logProbs = softmax(x, new long[] {rows, n}, 1, true);
        float[] out = StepArrays.floats(rows);
        for (int r = 0, k = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < n; j++, k++) {
                sum += logProbs[k] * y[k];
            }
            out[r] = (float) sum * -1f;
        }
        return out;
    }

    /**
     * The logits' gradient of {@link #softmaxCrossEntropy} for the rows' incoming gradient {@code g}:
     * {@code g * (softmax(x) * sum(y) - y)}, each step rounded to float as the composition does, the labels' row
     * sum accumulated in double.
     */
    static float[] softmaxCrossEntropyGradient(float[] g, float[] x, float[] y, int rows, int n) {
        float[] probs = softmax(x, new long[] {rows, n}, 1, false);
        float[] out = StepArrays.floats(rows * n);
        for (int r = 0, first = 0; r < rows; r++, first += n) {
            double labelSum = 0;
            for (int j = 0; j < n; j++) {
                labelSum += y[first + j];
            }
            float total = (float) labelSum;
            float gr = g[r];
            for (int k = first; k < first + n; k++) {
                out[k] = gr * (probs[k] * total - y[k]);
            }
        }
        return out;
    }

    /**
     * softmax, or log-softmax when {@code log}, of {@code x} (shape {@code shape}) along {@code axis}: the
     * composition of the element-wise kernels, with their rounding: {@code s = x - max} in float, {@code e =
     * exp(s)} rounded from double, the sum of {@code e} along the axis accumulated in double and rounded once
     * ({@link #sum}), then {@code e / sum}, or {@code s - log(sum)} with the log rounded from double. The maximum
     * is {@link #extreme}'s: a NaN in a row makes the row NaN, as it does on the ND4J path (there through the sum).
     */
    static float[] softmax(float[] x, long[] shape, int axis, boolean log) {
        float[] out = StepArrays.floats(x.length);
        if (x.length == 0) {
            return out;
        }
        int n = (int) shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        int outer = x.length / (n * inner);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int first = o * n * inner + in;
                float m = x[first];
                for (int j = 1, k = first + inner; j < n; j++, k += inner) {
                    float v = x[k];
                    if (!Float.isNaN(m) && (Float.isNaN(v) || v > m)) {
                        m = v;
                    }
                }
                double sum = 0;
                for (int j = 0, k = first; j < n; j++, k += inner) {
                    float s = x[k] - m;
                    float e = (float) Math.exp(s);
                    out[k] = log ? s : e;
                    sum += e;
                }
                float total = (float) sum;
                if (log) {
                    float logSum = (float) Math.log(total);
                    for (int j = 0, k = first; j < n; j++, k += inner) {
                        out[k] = out[k] - logSum;
                    }
                } else {
                    for (int j = 0, k = first; j < n; j++, k += inner) {
                        out[k] = out[k] / total;
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@code op(x[c]) · op(y[c])} for each of {@code count} pairs of {@code [n, k]} and {@code [k, m]} matrices
     * (before the transposes) stored one after another.
     */
    static float[] matmul(float[] x, float[] y, boolean ta, boolean tb, int count, int n, int k, int m) {
        float[] out = StepArrays.floats(count * n * m);
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
        float[] out = StepArrays.floats(x.length);
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (Math.max(x[i], 0.0) - (double) (x[i] * z[i]) + Math.log1p(Math.exp(-Math.abs((double) x[i]))));
        }
        return out;
    }
}
