package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.core.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras 3's Orthogonal: every axis but the last is flattened into rows; a standard normal matrix
 * {@code [max(rows, cols), min(rows, cols)]} is factored {@code A = QR}, each column of Q takes the sign of
 * R's diagonal entry (so the factorization is the unique one with a positive diagonal and Q is uniformly
 * distributed), Q is transposed when there are fewer rows than columns, and scaled by {@code gain}. The
 * rows or the columns of the result (whichever are fewer) are orthonormal times {@code gain}.
 */
record Orthogonal(double gain, Long seed) implements Initializer {

    Orthogonal {
        if (!Double.isFinite(gain)) {
            throw new IllegalArgumentException("Initializers.orthogonal: gain must be finite, got " + gain);
        }
    }

    @Override
    public INDArray init(long[] shape, DataType dtype) {
        Initializers.requireFloating(dtype);
        if (shape.length < 2) {
            throw new IllegalArgumentException("Initializers.orthogonal: the tensor to initialize must be at least "
                    + "two-dimensional. Received: shape=" + Shapes.format(shape) + " of rank " + shape.length + ".");
        }
        long cols = shape[shape.length - 1];
        long rows = Shapes.size(shape) / Math.max(1, cols);
        int m = Math.toIntExact(Math.max(rows, cols));
        int n = Math.toIntExact(Math.min(rows, cols));
        if (n == 0) {
            return Initializers.fill(shape, dtype, () -> 0.0);   // nothing to draw
        }
        SplittableRandom random = new SplittableRandom(seed != null ? seed : Seeds.nextSeed());
        double[][] a = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = Seeds.gaussian(random);
            }
        }
        double[][] q = signCorrectedQ(a);
        boolean wide = rows < cols;
        double[] values = new double[m * n];
        int k = 0;
        for (int i = 0; i < (wide ? n : m); i++) {
            for (int j = 0; j < (wide ? m : n); j++) {
                values[k++] = gain * (wide ? q[j][i] : q[i][j]);
            }
        }
        int[] next = {0};
        return Initializers.fill(shape, dtype, () -> values[next[0]++]);
    }

    /**
     * The thin Q {@code [m, n]} (m >= n) of {@code a} by Householder reflections, with column j multiplied by
     * the sign of {@code R[j][j]}, as Keras' {@code q *= sign(diag(r))}.
     */
    static double[][] signCorrectedQ(double[][] a) {
        int m = a.length;
        int n = a[0].length;
        double[][] r = new double[m][];
        for (int i = 0; i < m; i++) {
            r[i] = a[i].clone();
        }
        double[][] vs = new double[n][];
        for (int j = 0; j < n; j++) {
            // the reflection that zeroes r[j+1..m)[j]: v = x + sign(x0) |x| e0, normalised
            double norm = 0;
            for (int i = j; i < m; i++) {
                norm += r[i][j] * r[i][j];
            }
            norm = Math.sqrt(norm);
            double[] v = new double[m - j];
            for (int i = j; i < m; i++) {
                v[i - j] = r[i][j];
            }
            v[0] += r[j][j] >= 0 ? norm : -norm;
            double vNorm = 0;
            for (double x : v) {
                vNorm += x * x;
            }
            vNorm = Math.sqrt(vNorm);
            if (vNorm > 0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] /= vNorm;
                }
                reflect(r, v, j, j, n);
            }
            vs[j] = v;
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity, last reflection first
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) {
            q[j][j] = 1;
        }
        for (int j = n - 1; j >= 0; j--) {
            reflect(q, vs[j], j, 0, n);
        }
        for (int j = 0; j < n; j++) {
            if (r[j][j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i][j] = -q[i][j];
                }
            }
        }
        return q;
    }

    /** Applies {@code I - 2 v v^T} (v acting on rows {@code from..}) to columns {@code [col0, cols)} of {@code x}. */
    private static void reflect(double[][] x, double[] v, int from, int col0, int cols) {
        for (int c = col0; c < cols; c++) {
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += v[i] * x[from + i][c];
            }
            if (dot != 0) {
                for (int i = 0; i < v.length; i++) {
                    x[from + i][c] -= 2 * dot * v[i];
                }
            }
        }
    }

    @Override
    public String kerasName() {
        return "orthogonal";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("gain", gain);
        config.put("seed", seed);
        return config;
    }
}
