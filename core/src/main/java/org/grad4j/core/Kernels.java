package org.grad4j.core;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Where;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The one place that decides where an op's arithmetic runs: as Java loops ({@link JavaKernels}) or as ND4J
 * ({@link Nd4jKernels} and ND4J's own ops, passed in by the op). An ND4J op costs microseconds of dispatch
 * whatever its size, so a seed-sized model spends its whole step there; the same arithmetic as Java loops
 * takes nanoseconds. Past {@link #SMALL} elements ND4J is the faster.
 *
 * <p>{@code -Dgrad4j.kernels=auto} (the default) chooses by size; {@code -Dgrad4j.kernels=nd4j} runs every op in
 * ND4J and keeps no tensor in a Java array, as a non-CPU ND4J backend needs. Read once, when this class loads.
 *
 * <p>Both paths give the same bits (core's {@code JavaKernelsMatchNd4jTest}).
 */
final class Kernels {
    /** The kernel modes of {@code -Dgrad4j.kernels}. */
    enum Mode {
        AUTO, ND4J
    }

    static final Mode MODE = mode(System.getProperty("grad4j.kernels"));
    /** False with {@code -Dgrad4j.kernels=nd4j}: no Java kernel runs. */
    static final boolean JAVA = MODE == Mode.AUTO;

    /** The one small size: the largest float32 tensor (in elements) kept in a Java array and computed by Java loops. */
    static final int SMALL = 4096;
    /** The largest ND4J-backed input read into Java: reading costs about 10 ns an element, so past this ND4J is cheaper. */
    static final int READ_LIMIT = SMALL / 4;
    /** The most multiply-adds a Java matrix product may take: past it, BLAS's call overhead pays for itself. */
    static final int MATMUL_WORK = SMALL * 8;
    /**
     * The largest fused sigmoid cross-entropy computed by the Java loop: it works in double and rounds once, so it
     * is not bitwise ND4J's float formula, and the bound stays where it was measured.
     */
    static final int CROSS_ENTROPY_SMALL = SMALL / 16;

    private Kernels() {
    }

    static Mode mode(String value) {
        if (value == null || value.isBlank()) {
            return Mode.AUTO;
        }
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dgrad4j.kernels: unknown value \"" + value + "\" (known: auto, nd4j)", e);
        }
    }

    /** True if a new float32 tensor of {@code size} elements keeps its values in a Java array. */
    static boolean keepsSmall(long size) {
        return JAVA && size <= SMALL;
    }

    /** True if {@code t} is float32 and small enough for Java loops. */
    static boolean fits(Tensor t) {
        return JAVA && (t.isSmallBacked() || (t.size() <= READ_LIMIT && t.dataType() == DataType.FLOAT));
    }

    /**
     * Whether {@link NeuralNetOps#softmaxCrossEntropyWithLogits} takes its fused Java pass: float32 {@code [rows, n]}
     * labels and logits over the last axis, at most {@link #SMALL} elements, in Java arrays or in ND4J's memory. The
     * pass reproduces the composition's rounding as the Java kernels compute it (sums in double; ND4J's ops sum in
     * float, so the composition run as ND4J ops, {@code -Dgrad4j.kernels=nd4j}, may differ in the last bit, as for
     * any sum of three terms or more). Logits in ND4J's memory past {@link #READ_LIMIT} are read in once: the
     * composition they took until stop 29 is nine ND4J ops forward and five backward, each with its own arrays and
     * op overhead; around W5's [256, 10] loss, forward and backward, 1.57 ms a step against 0.46 with the pass.
     */
    static boolean fusedSoftmaxCrossEntropy(Tensor labels, Tensor logits, int axis) {
        return JAVA && logits.rank() == 2 && axis == 1 && logits.dataType() == DataType.FLOAT
                && labels.dataType() == DataType.FLOAT && logits.size() > 0 && logits.size() <= SMALL;
    }

    static boolean fits(Tensor a, Tensor b) {
        return fits(a) && fits(b);
    }

    /** The values in row-major order. Not a copy for a small-backed tensor: never write to it. */
    static float[] values(Tensor t) {
        if (t.isSmallBacked()) {
            return t.smallValues();
        }
        INDArray a = t.array();
        if (a.rank() > 1 && a.ordering() != 'c' && !FloatLoops.rowMajorBlock(a)) {
            a = a.dup('c');   // getFloat(i) walks an array in its own order: column-major for an 'f' one
        }
        int n = (int) a.length();
        // one bulk copy: getFloat(i) maps every index to a position, at ~70 ns each
        float[] contiguous = n > 0 && a.dataType() == DataType.FLOAT ? FloatLoops.copyOf(a) : null;
        if (contiguous != null) {
            return contiguous;
        }
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

    /** An element-wise map. */
    static Tensor unary(Tensor a, JavaKernels.Unary java, UnaryOperator<INDArray> nd4j) {
        return fits(a) ? new Tensor(JavaKernels.unary(values(a), java), a.shape()) : new Tensor(nd4j.apply(a.array()));
    }

    /**
     * An element-wise map whose Java kernel also serves large contiguous float32 arrays (one pass over ND4J's
     * memory, split over the cores): for ops whose libnd4j float32 kernel is inaccurate.
     */
    static Tensor map(Tensor a, JavaKernels.Unary java, UnaryOperator<INDArray> nd4j) {
        if (fits(a)) {
            return unary(a, java, nd4j);
        }
        INDArray x = a.array();
        if (JAVA && x.dataType() == DataType.FLOAT) {
            return new Tensor(FloatLoops.map(x, java));
        }
        return new Tensor(nd4j.apply(x));
    }

    /** A broadcasting binary op; {@code shape} is the broadcast shape, already checked. */
    static Tensor binary(Tensor a, Tensor b, long[] shape, JavaKernels.Binary java, BinaryOperator<INDArray> nd4j) {
        if (fits(a, b) && Shapes.size(shape) <= SMALL) {
            return new Tensor(JavaKernels.binary(values(a), a.shape(), values(b), b.shape(), shape, java), shape);
        }
        INDArray x = a.array();
        INDArray y = b.array();
        if (x.rank() != y.rank() && !Arrays.equals(x.shape(), shape) && !Arrays.equals(y.shape(), shape)) {
            // both sides broadcast and the ranks differ ([n, 1] with [m]): ND4J wants equal ranks for that
            x = Nd4jKernels.alignRank(x, shape.length);
            y = Nd4jKernels.alignRank(y, shape.length);
        }
        return new Tensor(nd4j.apply(x, y));
    }

    /** {@code mask ? x : y} for a 0/1 {@code mask} and {@code x}, {@code y} of its shape and one type. */
    static Tensor where(Tensor mask, Tensor x, Tensor y) {
        if (fits(mask) && fits(x, y)) {
            return new Tensor(JavaKernels.where(values(mask), values(x), values(y)), mask.shape());
        }
        INDArray condition = mask.array().castTo(DataType.BOOL);
        return new Tensor(Nd4j.exec(new Where(new INDArray[] {condition, x.array(), y.array()},
                new INDArray[] {x.array().ulike()}))[0]);
    }

    /**
     * The sum over {@code axes} (sorted, distinct) with the result in {@code outShape} (with or without the
     * summed axes, as {@code keepDims}).
     */
    static Tensor sum(Tensor x, int[] axes, long[] outShape, boolean keepDims) {
        if (fits(x)) {
            return new Tensor(JavaKernels.sum(values(x), x.shape(), axes), outShape);
        }
        if (Shapes.size(outShape) == x.size()) {
            // every output sums one element: NumPy's 0 + x, which turns -0.0 into 0.0 as the Java loop does
            // (ND4J's sum keeps -0.0 for some ranks and not for others)
            return new Tensor(x.array().reshape('c', outShape).add(0.0));
        }
        INDArray s = x.array().sum(keepDims, axes);
        return new Tensor(Arrays.equals(s.shape(), outShape) ? s : s.reshape('c', outShape));
    }

    /**
     * The sum of all of {@code x}'s values accumulated in double precision (0 for none): a Java loop in
     * row-major order for a small float32 tensor, else ND4J's sum of a float64 copy.
     */
    static double sumDouble(Tensor x) {
        if (fits(x)) {
            double sum = 0;
            for (float v : values(x)) {
                sum += v;
            }
            return sum;
        }
        return x.size() == 0 ? 0.0 : x.array().castTo(DataType.DOUBLE).sumNumber().doubleValue();
    }

    /**
     * The maximum ({@code max}) or minimum of {@code x} over {@code axes} (sorted, distinct; none for a scalar),
     * shaped {@code kept} (the reduced axes kept as 1). A NaN in a part makes its result NaN, as in NumPy: the ND4J
     * path repairs libnd4j's reduction, which skips NaN elements, and the Java loop keeps libnd4j's choice among
     * equal elements (+0.0 and -0.0: the first).
     */
    static Tensor extreme(boolean max, Tensor x, int[] axes, long[] kept) {
        if (fits(x)) {
            return new Tensor(JavaKernels.extreme(values(x), x.shape(), kept, max), kept.clone());
        }
        INDArray a = x.array();
        if (axes.length == 0) {
            return new Tensor(a.dup());
        }
        return new Tensor(Nans.keepAlong(max ? a.max(true, axes) : a.min(true, axes), a, axes));
    }

    /**
     * An extreme's gradient share per element of {@code x}: 1 over the number of its part's winners where it is
     * one (equal to the result {@code extremeKept} of {@link #extreme}, or NaN), else 0.
     */
    static Tensor extremeShare(Tensor x, Tensor extremeKept, int[] axes) {
        if (fits(x, extremeKept)) {
            float[] share = JavaKernels.extremeShare(values(x), x.shape(), values(extremeKept), extremeKept.shape());
            return new Tensor(share, x.shape().clone());
        }
        INDArray a = x.array();
        // the winners: equal to the result, or NaN (then the result is NaN: NaN == NaN is false)
        INDArray winners = Nd4j.exec(new EqualTo(a, extremeKept.array()))[0].castTo(x.dataType()).addi(Nans.isNaN(a));
        return new Tensor(axes.length == 0 ? winners : winners.divi(winners.sum(true, axes)));
    }

    /**
     * softmax, or log-softmax when {@code log}, of {@code x} along {@code axis} (normalised): {@code x - max},
     * exp, divided by the sum (or minus its log). A Java loop with the rounding of the composition of the
     * element-wise kernels for a tensor that fits, else ND4J's ops.
     */
    static Tensor softmax(Tensor x, int axis, boolean log) {
        if (fits(x)) {
            return new Tensor(JavaKernels.softmax(values(x), x.shape(), axis, log), x.shape().clone());
        }
        INDArray shifted = x.array().sub(x.array().max(true, axis));
        if (log) {
            INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, axis), false);
            return new Tensor(shifted.subi(logSum));
        }
        INDArray e = Transforms.exp(shifted, false);
        return new Tensor(e.divi(e.sum(true, axis)));
    }

    /** {@code x} repeated along broadcast axes to {@code shape} (checked). */
    static Tensor broadcastTo(Tensor x, long[] shape) {
        if (fits(x) && Shapes.size(shape) <= SMALL) {
            float[] out = JavaKernels.binary(values(x), x.shape(), new float[] {0f}, new long[0], shape, (v, zero) -> v);
            return new Tensor(out, shape.clone());
        }
        return new Tensor(Nd4jKernels.broadcast(x.array(), shape));
    }

    /** The same values under a new shape of the same size. */
    static Tensor reshape(Tensor x, long[] shape) {
        return x.isSmallBacked() ? new Tensor(x.smallValues(), shape.clone()) : new Tensor(x.array().reshape('c', shape));
    }

    /** {@code op(a) · op(b)} for matrices {@code a}, {@code b}: {@code [n, k] · [k, m]} after the transposes. */
    static Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb, long n, long k, long m) {
        if (javaMatmul(a, b, 1, n, k, m)) {
            return new Tensor(JavaKernels.matmul(values(a), values(b), ta, tb, 1, (int) n, (int) k, (int) m), new long[] {n, m});
        }
        FloatBuffer fa = blasOperand(a, n * k);
        FloatBuffer fb = fa == null ? null : blasOperand(b, k * m);
        if (fb != null && n * k * m > 0) {
            // a small result stays in Java (no ND4J array, which costs native allocations the collector must find);
            // a small operand is read from its Java array rather than moved into ND4J for the call
            if (keepsSmall(n * m)) {
                float[] out = StepArrays.floats((int) (n * m));
                BlasThreads.gemm(fa, fb, FloatBuffer.wrap(out), ta, tb, (int) n, (int) k, (int) m);
                return new Tensor(out, new long[] {n, m});
            }
            INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, m);
            BlasThreads.gemm(fa, fb, FloatLoops.floats(c), ta, tb, (int) n, (int) k, (int) m);
            return new Tensor(c);
        }
        INDArray c = Nd4j.createUninitialized(a.dataType(), n, m);
        BlasThreads.gemm(a.array(), b.array(), c, ta, tb, n, k, m);
        return new Tensor(c);
    }

    /**
     * A float32 matrix of {@code size} elements as OpenBLAS may read it: a small tensor's whole Java array, or an
     * ND4J array's memory when it is one row-major block; null otherwise, or with {@code -Dgrad4j.kernels=nd4j}.
     */
    private static FloatBuffer blasOperand(Tensor t, long size) {
        boolean fits = JAVA && t.dataType() == DataType.FLOAT && t.size() == size && size <= Integer.MAX_VALUE;
        return fits ? FloatLoops.floats(t) : null;
    }

    /** {@code op(a[i]) · op(b[i])} for each of {@code count} pairs of matrices ({@code a: [count, ., .]}). */
    static Tensor batchMatmul(Tensor a, Tensor b, boolean ta, boolean tb, long count, long n, long k, long m) {
        if (javaMatmul(a, b, count, n, k, m)) {
            float[] out = JavaKernels.matmul(values(a), values(b), ta, tb, (int) count, (int) n, (int) k, (int) m);
            return new Tensor(out, new long[] {count, n, m});
        }
        INDArray c = Nd4j.createUninitialized(a.dataType(), count, n, m);
        BlasThreads.before(count * n * k * m);
        Nd4j.exec(new Mmul(a.array(), b.array(), c, MMulTranspose.builder().transposeA(ta).transposeB(tb).build()));
        return new Tensor(c);
    }

    private static boolean javaMatmul(Tensor a, Tensor b, long count, long n, long k, long m) {
        return fits(a, b) && count * n * m <= SMALL && count * n * m * k <= MATMUL_WORK;
    }

    /**
     * Whether a float32 dense layer of {@code rows × units} outputs takes the fused pass over ND4J's memory
     * ({@link NeuralNetOps#dense}); smaller ones stay in Java loops, which is cheaper than any ND4J pass.
     */
    static boolean fusedDense(long rows, long units) {
        return JAVA && rows * units > SMALL;
    }

    /**
     * Whether the dense layer {@code x · kernel} takes the fused pass: for outputs past {@link #SMALL}, and also for
     * smaller ones past {@link #READ_LIMIT} whose product is not a Java matrix product. Their GEMM's output is an
     * ND4J array too large to read into Java, so the composition would add the bias and apply the ReLU as
     * separate ND4J ops, a dispatch and an allocation each: a batch of 32 through 784 x 128, say.
     */
    static boolean fusedDense(Tensor x, Tensor kernel) {
        long rows = x.shape()[0];
        long units = kernel.shape()[1];
        return fusedDense(rows, units)
                || JAVA && rows * units > READ_LIMIT && !javaMatmul(x, kernel, 1, rows, x.shape()[1], units);
    }

    /**
     * Whether a one-group convolution takes {@link FusedConv}: float32 input, kernel and bias whose values lie in
     * row-major blocks, sizes within a Java array's, Java kernels on, and an output past {@link #SMALL}, where the
     * composition's product is a BLAS call too (a smaller one is a Java product, with its own rounding).
     */
    static boolean fusedConv(Tensor x, Tensor kernel, Tensor bias, Windows w) {
        return JAVA && (long) w.positions() * kernel.shape()[kernel.rank() - 1] > SMALL
                && x.dataType() == DataType.FLOAT && kernel.dataType() == DataType.FLOAT
                && (bias == null || bias.dataType() == DataType.FLOAT)
                && (long) w.positions() * w.windowCells() * w.channels() <= Integer.MAX_VALUE
                && (long) w.positions() * kernel.shape()[kernel.rank() - 1] <= Integer.MAX_VALUE
                && FloatLoops.floats(x) != null && FloatLoops.floats(kernel) != null;
    }

    /** Element-wise sigmoid cross-entropy on logits (see {@link NeuralNetOps#sigmoidCrossEntropyWithLogits}). */
    static Tensor sigmoidCrossEntropy(Tensor labels, Tensor logits) {
        if (JAVA && logits.size() <= CROSS_ENTROPY_SMALL && logits.dataType() == DataType.FLOAT) {
            // seed-sized batches: a Java loop instead of six ND4J dispatches, the same formula
            float[] out = JavaKernels.sigmoidCrossEntropy(values(labels), values(logits));
            long[] shape = logits.shape().clone();
            return keepsSmall(out.length) ? new Tensor(out, shape) : new Tensor(Nd4j.create(out, shape, 'c'));
        }
        return new Tensor(Nd4jKernels.sigmoidCrossEntropy(labels.array(), logits.array()));
    }

    /**
     * Every window of {@code x} ({@code [batch, height, width, channels]} or a reshape of it) as
     * {@code [batch, outH, outW, kernelH * kernelW, channels]}, padded cells holding {@code padValue}.
     */
    static Tensor im2col(Tensor x, Windows w, double padValue) {
        INDArray in = x.array();
        if (JAVA && in.dataType() == DataType.FLOAT) {
            FloatBuffer source = FloatLoops.floats(in);
            if (source == null) {
                source = FloatLoops.floats(in.dup('c'));
            }
            INDArray cols = Nd4j.createUninitialized(DataType.FLOAT, w.windowsShape());
            WindowKernels.im2colFloat(source, FloatLoops.floats(cols), w, (float) padValue);
            return new Tensor(cols);
        }
        return new Tensor(WindowKernels.im2colViews(in, w, padValue));
    }

    /** The adjoint of {@link #im2col}: each window row added back into its cells, {@code [batch, height, width, channels]}. */
    static Tensor col2im(Tensor cols, Windows w) {
        INDArray in = cols.array();
        if (JAVA && in.dataType() == DataType.FLOAT) {
            FloatBuffer source = FloatLoops.floats(in);
            if (source == null) {
                source = FloatLoops.floats(in.dup('c'));
            }
            INDArray dx = Nd4j.zeros(DataType.FLOAT, w.inputShape());
            WindowKernels.col2imFloat(source, FloatLoops.floats(dx), w);
            return new Tensor(dx);
        }
        return new Tensor(WindowKernels.col2imViews(in, w));
    }

    /**
     * The flat input index of each max-pooling window's maximum, from ND4J's views: the path where {@link #maxPool}
     * gives null (the Java pass finds the same cells along with the values).
     */
    static int[] maxCells(Tensor x, Windows w) {
        return WindowKernels.maxCellsViews(x.array(), w);
    }

    /** A max pooling's output and, per output cell, the flat input index of its window's maximum. */
    record MaxPooled(Tensor output, int[] cells) {
    }

    /**
     * A max pooling's output in one Java pass ({@link WindowKernels#maxPoolFloat}) for float32 in the Java mode, or
     * null: then the caller gathers {@link #maxCells}' cells, as ND4J mode does.
     */
    static MaxPooled maxPool(Tensor x, Windows w, long[] outShape) {
        FloatBuffer in = javaFloats(x);
        if (in == null) {
            return null;
        }
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, outShape);
        int[] cells = WindowKernels.maxPoolFloat(in, FloatLoops.floats(out), w);
        return new MaxPooled(new Tensor(out), cells);
    }

    /**
     * The gradient of {@link #maxPool} for the incoming {@code g}: {@code [batch, ...]} shaped as {@code xShape}, or
     * null where it does not apply.
     */
    static Tensor maxPoolGrad(int[] cells, Tensor g, Windows w, long[] xShape) {
        FloatBuffer gradient = javaFloats(g);
        if (gradient == null) {
            return null;
        }
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, xShape);
        WindowKernels.maxPoolGradFloat(cells, gradient, FloatLoops.floats(dx), w);
        return new Tensor(dx);
    }

    /** A float32 tensor's memory for a Java window kernel (a view copied first), or null outside the Java mode. */
    private static FloatBuffer javaFloats(Tensor t) {
        if (!JAVA || t.dataType() != DataType.FLOAT) {
            return null;
        }
        INDArray a = t.array();
        FloatBuffer direct = FloatLoops.floats(a);
        return direct != null ? direct : FloatLoops.floats(a.dup('c'));
    }

    /** Rows {@code index} of {@code table [rows, width]}: {@code [index.length, width]}. */
    static Tensor gatherRows(Tensor table, int[] index, long width) {
        INDArray t = table.array();
        if (JAVA && t.dataType() == DataType.FLOAT && FloatLoops.floats(t) != null) {
            FloatBuffer in = FloatLoops.floats(t);
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, index.length, width);
            FloatBuffer o = FloatLoops.floats(out);
            int wd = (int) width;
            FloatLoops.forRange(index.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    if (wd == 1) {
                        o.put(i, in.get(index[i]));
                    } else {
                        o.put(i * wd, in, index[i] * wd, wd);
                    }
                }
            });
            return new Tensor(out);
        }
        return new Tensor(index.length == 0 ? Nd4j.create(t.dataType(), 0, width) : t.getRows(index));
    }

    /** Rows of {@code g [index.length, width]} added into zeros {@code [rows, width]} at {@code index}. */
    static Tensor scatterAddRows(Tensor g, int[] index, long rows, long width) {
        INDArray in = g.array();
        if (JAVA && in.dataType() == DataType.FLOAT && FloatLoops.floats(in) != null) {
            int wd = (int) width;
            float[] updates = new float[index.length * wd];
            FloatLoops.floats(in).get(0, updates);
            float[] sums = new float[Math.toIntExact(rows * width)];
            // one thread: rows repeat, and a split by position would race on them
            for (int i = 0; i < index.length; i++) {
                int dst = index[i] * wd;
                int src = i * wd;
                for (int j = 0; j < wd; j++) {
                    sums[dst + j] += updates[src + j];
                }
            }
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, rows, width);
            FloatLoops.floats(out).put(0, sums);
            return new Tensor(out);
        }
        INDArray out = Nd4j.zeros(in.dataType(), rows, width);
        if (index.length > 0) {
            out = Nd4j.exec(new ScatterAdd(out, Nd4j.createFromArray(index), in.reshape('c', index.length, width)))[0];
        }
        return new Tensor(out);
    }
}
