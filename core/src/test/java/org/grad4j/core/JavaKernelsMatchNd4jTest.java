package org.grad4j.core;

import static org.grad4j.core.TwoPaths.check;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.grad4j.core.TwoPaths.Operand;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every op with a Java kernel computes, on IEEE special values, exactly what its ND4J path computes: the same
 * bits for values and gradients (see {@link TwoPaths}). Where ND4J itself departs from NumPy (it drops NaN in
 * maximum, clip and max reductions; its float32 tanh rounds tiny inputs to 0), grad4j follows NumPy on both
 * paths, and {@link SpecialValuesLikeNumpyTest} checks those cases against NumPy's values.
 *
 * <p>Sums: the Java kernels accumulate in double, ND4J in float. Both round a sum of two floats the same way,
 * but when a partial sum of three or more terms overflows while the exact sum is finite (MAX + MAX - MAX) the
 * Java kernel gives the finite value and ND4J infinity. That is precision, not special-value handling, so the
 * inputs here keep every sum to two terms.
 *
 * <p>With {@code -Dgrad4j.kernels=nd4j} no Java kernel runs: the same checks then compare ND4J on small tensors
 * with ND4J on large ones.
 */
class JavaKernelsMatchNd4jTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float MIN = Float.MIN_VALUE;
    private static final float MAX = Float.MAX_VALUE;

    /** The IEEE special values, then a few ordinary ones (100 and -100 overflow exp and reach subnormals). */
    static final float[] VALUES = {NAN, INF, -INF, 0f, -0f, MIN, -MIN, MAX, -MAX, 1f, -1f, 0.5f, 2f, -3f, 100f, -100f};
    private static final int N = VALUES.length;

    /** Every value, as a vector. */
    private static Operand values() {
        return new Operand(VALUES.clone(), new long[] {N});
    }

    /** Element {@code k} is {@code VALUES[k / N]}: paired with {@link #seconds()}, every ordered pair of values. */
    private static Operand firsts() {
        float[] v = new float[N * N];
        for (int k = 0; k < v.length; k++) {
            v[k] = VALUES[k / N];
        }
        return new Operand(v, new long[] {N * N});
    }

    private static Operand seconds() {
        float[] v = new float[N * N];
        for (int k = 0; k < v.length; k++) {
            v[k] = VALUES[k % N];
        }
        return new Operand(v, new long[] {N * N});
    }

    /** The values cycled from {@code offset} to fill {@code shape}: an upstream gradient of special values. */
    private static Operand cycle(int offset, long... shape) {
        float[] v = new float[(int) Shapes.size(shape)];
        for (int k = 0; k < v.length; k++) {
            v[k] = VALUES[(k + offset) % N];
        }
        return new Operand(v, shape);
    }

    /** Each row an ordered pair of values: {@code [N * N, 2]}. */
    private static Operand pairRows() {
        float[] v = new float[N * N * 2];
        for (int k = 0; k < N * N; k++) {
            v[2 * k] = VALUES[k / N];
            v[2 * k + 1] = VALUES[k % N];
        }
        return new Operand(v, new long[] {N * N, 2});
    }

    private static void unary(List<DynamicTest> tests, String name, UnaryOperator<Tensor> f, boolean javaKernel) {
        tests.add(DynamicTest.dynamicTest(name, () -> check(name, (in, p) -> f.apply(in.get(0)), seconds(), javaKernel,
                firsts())));
    }

    // ---------------------------------------------------------------- element-wise

    @TestFactory
    Stream<DynamicTest> unaryOpsAndTheirGradients() {
        List<DynamicTest> tests = new ArrayList<>();
        unary(tests, "neg", Tensor::neg, true);
        unary(tests, "square", Tensor::square, true);
        unary(tests, "sqrt", Tensor::sqrt, true);
        unary(tests, "exp", Tensor::exp, true);
        unary(tests, "log", Tensor::log, true);
        unary(tests, "abs", Tensor::abs, true);
        unary(tests, "sin", Tensor::sin, true);
        unary(tests, "cos", Tensor::cos, true);
        for (float p : new float[] {NAN, INF, -INF, 0f, -0f, 1f, -1f, 0.5f, 2f, 3f, -2f, 1.5f, 1f / 3}) {
            unary(tests, "pow(" + TwoPaths.show(p) + ")", t -> t.pow(p), true);
        }
        float[][] ranges = {{-1f, 1f}, {0f, 1f}, {-1f, -0f}, {0f, 0f}, {-INF, INF}, {MIN, MAX}, {-0f, 0f}};
        for (float[] r : ranges) {
            String name = "clip(" + TwoPaths.show(r[0]) + ", " + TwoPaths.show(r[1]) + ")";
            unary(tests, name, t -> t.clip(r[0], r[1]), true);
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> scalarOperands() {
        List<DynamicTest> tests = new ArrayList<>();
        for (float c : VALUES) {
            String s = TwoPaths.show(c);
            unary(tests, "add(" + s + ")", t -> t.add(c), true);
            unary(tests, "sub(" + s + ")", t -> t.sub(c), true);
            unary(tests, "mul(" + s + ")", t -> t.mul(c), true);
            unary(tests, "div(" + s + ")", t -> t.div(c), true);
            unary(tests, "rsub(" + s + ")", t -> t.rsub(c), true);
            unary(tests, "rdiv(" + s + ")", t -> t.rdiv(c), true);
        }
        return tests.stream();
    }

    private static final String[] BINARY = {"add", "sub", "mul", "div", "pow"};

    private static Tensor binary(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "div" -> a.div(b);
            case "pow" -> a.pow(b);
            default -> throw new IllegalArgumentException(op);
        };
    }

    @TestFactory
    Stream<DynamicTest> binaryOpsWithBroadcasting() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String op : BINARY) {
            // [N, 1] with [N]: every ordered pair of values in one broadcast
            tests.add(DynamicTest.dynamicTest(op + " [N,1] with [N]", () -> check(op, (in, p) -> binary(op, in.get(0),
                    in.get(1)), null, true, new Operand(VALUES.clone(), new long[] {N, 1}), values())));
            // same shapes: each gradient element-wise, no sums
            tests.add(DynamicTest.dynamicTest(op + " pairs, gradients", () -> check(op + " pairs",
                    (in, p) -> binary(op, in.get(0), in.get(1)), cycle(5, N * N), true, firsts(), seconds())));
            // gradients summed over a broadcast axis of two: [N, 2] with [N, 1], and [2, N] with [N]
            tests.add(DynamicTest.dynamicTest(op + " [N,2] with [N,1], gradients", () -> check(op + " [N,2]x[N,1]",
                    (in, p) -> binary(op, in.get(0), in.get(1)), cycle(3, N, 2), true,
                    cycle(7, N, 2), new Operand(VALUES.clone(), new long[] {N, 1}))));
            tests.add(DynamicTest.dynamicTest(op + " [2,N] with [N], gradients", () -> check(op + " [2,N]x[N]",
                    (in, p) -> binary(op, in.get(0), in.get(1)), cycle(11, 2, N), true, cycle(1, 2, N), values())));
        }
        return tests.stream();
    }

    // ---------------------------------------------------------------- activations

    @TestFactory
    Stream<DynamicTest> activationsAndTheirGradients() {
        List<DynamicTest> tests = new ArrayList<>();
        unary(tests, "relu", Tensor::relu, true);
        unary(tests, "sigmoid", Tensor::sigmoid, true);
        unary(tests, "tanh", Tensor::tanh, true);
        // compositions of primitive ops (some of them ND4J-only, e.g. elu and erf)
        unary(tests, "selu", Tensor::selu, false);
        unary(tests, "softsign", Tensor::softsign, false);
        unary(tests, "swish", Tensor::swish, false);
        unary(tests, "hardSigmoid", Tensor::hardSigmoid, false);
        unary(tests, "gelu tanh form", t -> t.gelu(true), false);
        unary(tests, "gelu erf form", t -> t.gelu(false), false);
        return tests.stream();
    }

    /** sin and cos round a double result to float on the Java path: the same bits as libnd4j's float kernels. */
    @Test
    void sinAndCosOverASweep() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (i < 500 ? random.nextDouble(-10, 10) : random.nextDouble(-1e6, 1e6));
        }
        Operand sweep = new Operand(v, new long[] {v.length});
        check("sin sweep", (in, p) -> in.get(0).sin(), sweep, true, sweep);
        check("cos sweep", (in, p) -> in.get(0).cos(), sweep, true, sweep);
    }

    // ---------------------------------------------------------------- reductions and shapes

    @Test
    void sumsAndMeansOfTwoTerms() {
        check("sum axis -1", (in, p) -> in.get(0).sum(false, -1), cycle(2, N * N), true, pairRows());
        check("sum axis -1 keepDims", (in, p) -> in.get(0).sum(true, -1), cycle(2, N * N, 1), true, pairRows());
        check("mean axis -1", (in, p) -> in.get(0).mean(false, -1), cycle(4, N * N), true, pairRows());
        check("sum axis -2", (in, p) -> in.get(0).sum(false, -2), cycle(6, N), true, cycle(9, 2, N));
        check("sum axes -1,-3", (in, p) -> in.get(0).sum(false, -1, -3), cycle(8, N), true, cycle(9, 1, N, 2));
        check("sumToShape [N,2] -> [N,1]", (in, p) -> in.get(0).sumToShape(p.shape(N, 1)), cycle(10, N, 1), true,
                cycle(12, N, 2));
        check("broadcastTo [N,1] -> [N,2]", (in, p) -> in.get(0).broadcastTo(p.shape(N, 2)), cycle(13, N, 2), true,
                new Operand(VALUES.clone(), new long[] {N, 1}));
        check("reshape", (in, p) -> in.get(0).reshape(p.shape(2, N / 2)), cycle(14, 2, N / 2), true, values());
    }

    /** A sum whose every output has one term is a copy: -0.0 stays -0.0 (ND4J does not add it to +0.0). */
    @Test
    void sumsOverAxesOfOneElement() {
        Operand column = new Operand(VALUES.clone(), new long[] {N, 1});
        Operand row = new Operand(VALUES.clone(), new long[] {1, N});
        check("sum of a size-1 axis", (in, p) -> in.get(0).sum(false, -1), cycle(1, N), true, column);
        check("sum of a size-1 axis keepDims", (in, p) -> in.get(0).sum(true, -1), cycle(1, N, 1), true, column);
        check("mean of a size-1 axis", (in, p) -> in.get(0).mean(false, -2), cycle(3, N), true, row);
    }

    // ---------------------------------------------------------------- maxima, minima, softmax

    /**
     * A {@code [3, 4, 5]} tensor of zeros of both signs in random order, with the other special values sprinkled
     * in (NaN rarely, so that most parts have none): along any axis set most parts tie +0.0 with -0.0 in some
     * order, and some hold NaN or an infinity.
     */
    private static Operand zerosAndSpecials(long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] pool = {0f, -0f, 0f, -0f, 0f, -0f, -1f, -INF, INF, -MIN, MIN, 1f, -MAX, NAN};
        float[] v = new float[60];
        for (int i = 0; i < v.length; i++) {
            int k = random.nextInt(10);
            v[i] = k < 6 ? pool[k] : pool[6 + random.nextInt(pool.length - 6 - (random.nextInt(4) == 0 ? 0 : 1))];
        }
        return new Operand(v, new long[] {3, 4, 5});
    }

    /** Every non-empty axis set of a rank-3 tensor, as negative axes (the ND4J path adds a leading axis). */
    private static final int[][] AXIS_SETS = {{-1}, {-2}, {-3}, {-2, -1}, {-3, -1}, {-3, -2}, {-3, -2, -1}};

    @TestFactory
    Stream<DynamicTest> maxAndMinOverEveryAxisSet() {
        List<DynamicTest> tests = new ArrayList<>();
        long[] shape = {3, 4, 5};
        for (long seed : new long[] {1, 2, 3}) {
            Operand x = zerosAndSpecials(seed);
            for (int[] axes : AXIS_SETS) {
                for (boolean keepDims : new boolean[] {false, true}) {
                    long[] reduced = outShape(shape, axes, keepDims);
                    // a scalar result is seen as [1]: an upstream gradient operand has a shape
                    boolean scalar = reduced.length == 0;
                    long[] out = scalar ? new long[] {1} : reduced;
                    String where = " axes " + java.util.Arrays.toString(axes) + (keepDims ? " keepDims" : "") + " seed " + seed;
                    tests.add(DynamicTest.dynamicTest("max" + where, () -> check("max" + where, (in, p) -> {
                        Tensor m = in.get(0).max(keepDims, axes);
                        return scalar ? m.reshape(p.shape(1)) : m;
                    }, cycle((int) seed, out), true, x)));
                    tests.add(DynamicTest.dynamicTest("min" + where, () -> check("min" + where, (in, p) -> {
                        Tensor m = in.get(0).min(keepDims, axes);
                        return scalar ? m.reshape(p.shape(1)) : m;
                    }, cycle((int) seed + 5, out), true, x)));
                }
            }
        }
        return tests.stream();
    }

    /** Every ordered pair of values, so each tie of +0.0 and -0.0 in both orders, and each NaN and infinity. */
    @Test
    void maxAndMinOfEveryPair() {
        check("max of pairs", (in, p) -> in.get(0).max(false, -1), cycle(2, N * N), true, pairRows());
        check("min of pairs", (in, p) -> in.get(0).min(false, -1), cycle(3, N * N), true, pairRows());
        check("max of pairs keepDims", (in, p) -> in.get(0).max(true, -1), cycle(4, N * N, 1), true, pairRows());
        check("max of column pairs", (in, p) -> in.get(0).max(false, -2), cycle(5, N * N), true, transposed(pairRows()));
        check("min of column pairs", (in, p) -> in.get(0).min(true, -2), cycle(6, 1, N * N), true, transposed(pairRows()));
    }

    /**
     * libnd4j's max and min reductions keep the first of equal elements (the Java loops rely on it): +0.0 then
     * -0.0 gives +0.0, -0.0 then +0.0 gives -0.0, in a large ND4J array along either axis.
     */
    @Test
    void nd4jKeepsTheFirstOfEqualZeros() {
        int n = 2 * Kernels.SMALL;
        float[] plusFirst = new float[2 * n];
        for (int i = 0; i < n; i++) {
            plusFirst[2 * i] = 0f;
            plusFirst[2 * i + 1] = -0f;
        }
        Tensor rows = Tensor.of(Nd4j.create(plusFirst, new long[] {n, 2}, 'c'));
        Tensor columns = Tensor.of(Nd4j.create(plusFirst, new long[] {2 * n}, 'c').reshape('c', 2 * n / 2, 2).transpose().dup('c'));
        for (Tensor m : new Tensor[] {rows.max(false, -1), rows.min(false, -1)}) {
            assertTrue(TwoPaths.same(0f, m.toFloatArray()[0]), "+0.0 before -0.0 along the last axis: " + TwoPaths.show(m.toFloatArray()[0]));
        }
        for (Tensor m : new Tensor[] {columns.max(false, -2), columns.min(false, -2)}) {
            assertTrue(TwoPaths.same(0f, m.toFloatArray()[0]), "+0.0 before -0.0 along the first axis: " + TwoPaths.show(m.toFloatArray()[0]));
        }
        Tensor minusFirst = rows.neg();
        for (Tensor m : new Tensor[] {minusFirst.max(false, -1), minusFirst.min(false, -1), minusFirst.max(false, -2, -1)}) {
            assertTrue(TwoPaths.same(-0f, m.toFloatArray()[0]), "-0.0 before +0.0: " + TwoPaths.show(m.toFloatArray()[0]));
        }
    }

    private static long[] outShape(long[] shape, int[] axes, boolean keepDims) {
        List<Long> out = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            boolean reduced = false;
            for (int a : axes) {
                reduced |= a + shape.length == d;
            }
            if (!reduced || keepDims) {
                out.add(reduced ? 1L : shape[d]);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Rows of {@code width}: an ordered pair of values, then -Inf, whose exp is 0, so each sum has two terms (see
     * the class comment) while the rows are as wide as the Keras tutorial's ten classes.
     */
    private static Operand pairsPaddedWithMinusInfinity(int width) {
        float[] v = new float[N * N * width];
        for (int k = 0; k < N * N; k++) {
            v[k * width] = VALUES[k / N];
            v[k * width + 1] = VALUES[k % N];
            for (int j = 2; j < width; j++) {
                v[k * width + j] = -INF;
            }
        }
        return new Operand(v, new long[] {N * N, width});
    }

    @Test
    void softmaxAndLogSoftmaxWithTheirGradients() {
        Operand pairs = pairRows();
        Operand columns = transposed(pairs);
        Operand wide = pairsPaddedWithMinusInfinity(10);
        Operand single = new Operand(VALUES.clone(), new long[] {N, 1});
        Operand rank3 = new Operand(pairs.values(), new long[] {N, N, 2});
        String[] names = {"softmax", "logSoftmax"};
        for (String name : names) {
            boolean log = name.equals("logSoftmax");
            TwoPaths.Op last = (in, p) -> log ? in.get(0).logSoftmax(-1) : in.get(0).softmax(-1);
            TwoPaths.Op secondLast = (in, p) -> log ? in.get(0).logSoftmax(-2) : in.get(0).softmax(-2);
            check(name + " of pairs", last, cycle(3, N * N, 2), true, pairs);
            check(name + " of column pairs", secondLast, cycle(4, 2, N * N), true, columns);
            check(name + " of pairs padded to 10", last, cycle(5, N * N, 10), true, wide);
            check(name + " along an axis of one", last, cycle(6, N, 1), true, single);
            check(name + " rank 3 axis -1", last, cycle(7, N, N, 2), true, rank3);
            check(name + " rank 3 axis -2", secondLast, cycle(8, N, 2, N), true,
                    new Operand(pairs.values(), new long[] {N, 2, N}));
        }
    }

    // ---------------------------------------------------------------- matrix products

    /**
     * {@code op(a) · op(b)} with a small-integer matrix on one side (exact products) and inner dimension 2 (sums
     * of two), so every output is decided by the special values alone. The ND4J path pads {@code a}'s rows (or
     * {@code b}'s columns) with zeros past the Java limit and the upstream gradient with zeros there.
     */
    private static void checkMatmul(String what, Operand a, Operand b, boolean ta, boolean tb) {
        long n = ta ? a.shape()[1] : a.shape()[0];
        long m = tb ? b.shape()[0] : b.shape()[1];
        boolean padA = n >= m;
        Operand upstream = cycle(7, n, m);
        Tensor[] small = {Tensor.of(a.values(), a.shape()).requiresGrad(true), Tensor.of(b.values(), b.shape()).requiresGrad(true)};
        long extra = 2 * Kernels.SMALL;
        Tensor[] large = {
            Tensor.of(padA ? padded(a, ta ? 1 : 0, extra) : Nd4j.create(a.values(), a.shape(), 'c')).requiresGrad(true),
            Tensor.of(padA ? Nd4j.create(b.values(), b.shape(), 'c') : padded(b, tb ? 0 : 1, extra)).requiresGrad(true)};
        Tensor outSmall = small[0].matmul(small[1], ta, tb);
        Tensor outLarge = large[0].matmul(large[1], ta, tb);
        assertTrue(!Kernels.JAVA || outSmall.isSmallBacked(), what + ": the Java path did not run the Java kernel");
        assertFalse(outLarge.isSmallBacked(), what + ": the ND4J path ran the Java kernel");
        outSmall.backward(Tensor.of(upstream.values(), upstream.shape()), false, false);
        outLarge.backward(Tensor.of(padded(upstream, padA ? 0 : 1, extra)), false, false);
        assertLeading(what + " value", outSmall, outLarge);
        assertLeading(what + " gradient of a", small[0].grad(), large[0].grad());
        assertLeading(what + " gradient of b", small[1].grad(), large[1].grad());
    }

    /** A copy of the matrix {@code o} with {@code extra} zero rows (axis 0) or columns (axis 1) appended. */
    private static org.nd4j.linalg.api.ndarray.INDArray padded(Operand o, int axis, long extra) {
        long[] shape = o.shape().clone();
        shape[axis] += extra;
        org.nd4j.linalg.api.ndarray.INDArray out = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
        long rows = o.shape()[0];
        long cols = o.shape()[1];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out.putScalar(new long[] {i, j}, o.values()[(int) (i * cols + j)]);
            }
        }
        return out;
    }

    /** The small matrix against the leading block of the (possibly padded) large one. */
    private static void assertLeading(String what, Tensor small, Tensor large) {
        long[] s = small.shape();
        float[] sv = small.toFloatArray();
        org.nd4j.linalg.api.ndarray.INDArray l = large.array();
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                float expected = sv[(int) (i * s[1] + j)];
                float actual = l.getFloat(i, j);
                if (!TwoPaths.same(expected, actual)) {
                    throw new AssertionError(what + " at [" + i + ", " + j + "]: Java " + TwoPaths.show(expected)
                            + ", ND4J " + TwoPaths.show(actual));
                }
            }
        }
    }

    @Test
    void matmulWithEveryTransposeFlag() {
        float[] ints = {1, -1, 0, 1};
        Operand pairs = pairRows();                                              // [N*N, 2]
        Operand pairsT = transposed(pairs);                                      // [2, N*N]
        Operand square = new Operand(ints, new long[] {2, 2});
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                String flags = (ta ? "aT" : "a") + " " + (tb ? "bT" : "b");
                checkMatmul("special rows, " + flags, ta ? pairsT : pairs, square, ta, tb);
                checkMatmul("special columns, " + flags, square, tb ? pairs : pairsT, ta, tb);
            }
        }
        // inner dimension 1: every product of two special values, alone
        checkMatmul("outer products", new Operand(VALUES.clone(), new long[] {N, 1}),
                new Operand(VALUES.clone(), new long[] {1, N}), false, false);
    }

    /**
     * Batches of products: each row pair of special values ({@code [N*N, 1, 2]}, or {@code [N*N, 2, 1]} transposed)
     * times a small-integer matrix, one per batch or one broadcast to every batch.
     */
    @Test
    void batchedMatmulWithEveryTransposeFlag() {
        float[] ints = {1, -1, 0, 1};
        float[] tiled = new float[N * N * 4];
        for (int i = 0; i < tiled.length; i++) {
            tiled[i] = ints[i % 4];
        }
        Operand rows = new Operand(pairRows().values(), new long[] {N * N, 1, 2});
        Operand columns = new Operand(pairRows().values(), new long[] {N * N, 2, 1});
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                String flags = (ta ? "aT" : "a") + " " + (tb ? "bT" : "b");
                check("batched " + flags, (in, p) -> in.get(0).matmul(in.get(1), ta, tb), cycle(5, N * N, 1, 2), true,
                        ta ? columns : rows, new Operand(tiled, new long[] {N * N, 2, 2}));
                check("batched, b broadcast, " + flags, (in, p) -> in.get(0).matmul(in.get(1), ta, tb),
                        cycle(6, N * N, 1, 2), true, ta ? columns : rows, new Operand(ints, new long[] {1, 2, 2}));
            }
        }
    }

    private static Operand transposed(Operand o) {
        int rows = (int) o.shape()[0];
        int cols = (int) o.shape()[1];
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[j * rows + i] = o.values()[i * cols + j];
            }
        }
        return new Operand(v, new long[] {cols, rows});
    }

    // ---------------------------------------------------------------- the fused dense layer

    /**
     * {@link NeuralNetOps#dense}: its fused Java loops over ND4J memory (large batches) against its composition
     * of small-tensor ops, on inputs and upstream gradients of special values.
     */
    @Test
    void fusedDenseMatchesTheSmallComposition() {
        for (boolean relu : new boolean[] {true, false}) {
            Operand x = pairRows();
            float[] kernel = {1, -1, 0, 1};
            float[] bias = {0f, -0f};
            Operand upstream = cycle(3, N * N, 2);
            Tensor xs = Tensor.of(x.values(), x.shape()).requiresGrad(true);
            Tensor ks = Tensor.of(kernel, 2, 2).requiresGrad(true);
            Tensor bs = Tensor.of(bias, 2).requiresGrad(true);
            Tensor outSmall = NeuralNetOps.dense(xs, ks, bs, relu);
            assertTrue(!Kernels.JAVA || outSmall.isSmallBacked(), "the small dense must take the composition of Java kernels");
            outSmall.backward(Tensor.of(upstream.values(), upstream.shape()), false, false);

            long extra = 2 * Kernels.SMALL;
            Tensor xl = Tensor.of(padded(x, 0, extra)).requiresGrad(true);
            Tensor kl = Tensor.of(Nd4j.create(kernel, new long[] {2, 2}, 'c')).requiresGrad(true);
            Tensor bl = Tensor.of(Nd4j.create(bias, new long[] {2}, 'c')).requiresGrad(true);
            Tensor outLarge = NeuralNetOps.dense(xl, kl, bl, relu);
            assertTrue(!Kernels.JAVA || outLarge.gradFn().toString().startsWith("Dense"), "the large dense must be fused: " + outLarge.gradFn());
            outLarge.backward(Tensor.of(padded(upstream, 0, extra)), false, false);

            String what = relu ? "dense relu" : "dense";
            assertLeading(what + " value", outSmall, outLarge);
            assertLeading(what + " dx", xs.grad(), xl.grad());
            assertLeading(what + " dkernel", ks.grad(), kl.grad());
            float[] db = bs.grad().toFloatArray();
            float[] dbl = bl.grad().toFloatArray();
            for (int j = 0; j < 2; j++) {
                assertTrue(TwoPaths.same(db[j], dbl[j]), what + " dbias at " + j + ": Java " + TwoPaths.show(db[j])
                        + ", fused " + TwoPaths.show(dbl[j]));
            }
        }
    }
}
