package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every public op of {@link Tensor} against float64 central differences ({@link GradientCheck}). */
class OpGradientCheckTest {
    /**
     * GradientCheck's error is relative, floored at a gradient scale of 1e-3. With float64 and h = 1e-5
     * the true errors of correct gradients are about 1e-8 or smaller.
     */
    private static final double BOUND = 1e-6;

    // ---------------------------------------------------------------- helpers

    private static void assertGradOk(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        List<Tensor> xs = List.of(inputs);
        // every input gets a gradient of its own shape
        List<Tensor> tracked = new ArrayList<>();
        for (Tensor x : inputs) {
            tracked.add(Tensor.of(x.array().dup()).requiresGrad(true));
        }
        f.apply(tracked).sum().backward();
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = tracked.get(i).grad();
            assertNotNull(g, name + ": no gradient for input " + i);
            assertArrayEquals(inputs[i].shape(), g.shape(), name + ": gradient shape of input " + i);
        }
        double error = GradientCheck.check(f, xs);
        assertTrue(error < BOUND, name + ": max relative error " + error);
    }

    private static void assertUnaryGradOk(String name, Function<Tensor, Tensor> f, Tensor x) {
        assertGradOk(name, in -> f.apply(in.get(0)), new Tensor[] {x});
    }

    /** Float64 N(0, 1) samples (no shape: rank 0) from a generator seeded with {@code seed}. */
    private static Tensor normal(long seed, long... shape) {
        return avoiding(seed, 1.0, new double[0], shape);
    }

    /**
     * Float64 N(0, scale²) samples, redrawn while within 0.05 of any of {@code kinks} (points where the
     * derivative jumps, or a tie).
     */
    private static Tensor avoiding(long seed, double scale, double[] kinks, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[Math.toIntExact(Shapes.size(shape))];
        for (int i = 0; i < v.length; i++) {
            do {
                v[i] = scale * Seeds.gaussian(random);
            } while (near(v[i], kinks));
        }
        return Tensor.of(Nd4j.create(v, shape, 'c'));
    }

    private static boolean near(double v, double[] kinks) {
        for (double k : kinks) {
            if (Math.abs(v - k) < 0.05) {
                return true;
            }
        }
        return false;
    }

    /** Normal samples kept 0.05 away from 0. */
    private static Tensor nonZero(long seed, long... shape) {
        return avoiding(seed, 1.0, new double[] {0.0}, shape);
    }

    /** Float64 U[min, max) samples. */
    private static Tensor uniform(long seed, double min, double max, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[Math.toIntExact(Shapes.size(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = min + (max - min) * random.nextDouble();
        }
        return Tensor.of(Nd4j.create(v, shape, 'c'));
    }

    private static long[] s(long... shape) {
        return shape;
    }

    // ---------------------------------------------------------------- element-wise binary

    private static final Map<String, BinaryOperator<Tensor>> BINARY = Map.of(
            "add", Tensor::add,
            "sub", Tensor::sub,
            "mul", Tensor::mul,
            "div", Tensor::div,
            "maximum", Tensor::maximum,
            "minimum", Tensor::minimum);

    /** Same shape, then each broadcast: [2,3]·[3], [2,3]·[2,1], [3,1]·[1,4], []·[2,3], [2,3]·[]. */
    private static final long[][][] SHAPE_PAIRS = {
            {s(2, 3), s(2, 3)}, {s(2, 3), s(3)}, {s(2, 3), s(2, 1)}, {s(3, 1), s(1, 4)}, {s(), s(2, 3)}, {s(2, 3), s()}};

    @TestFactory
    Stream<DynamicTest> binaryOpsWithBroadcasting() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String op : List.of("add", "sub", "mul", "div", "maximum", "minimum")) {
            for (long[][] pair : SHAPE_PAIRS) {
                String name = op + " " + Shapes.format(pair[0]) + " with " + Shapes.format(pair[1]);
                BinaryOperator<Tensor> f = BINARY.get(op);
                // a divisor away from 0; the two operands of maximum/minimum never tie (different seeds,
                // continuous samples)
                Tensor a = normal(11, pair[0]);
                Tensor b = op.equals("div") ? nonZero(12, pair[1]) : normal(12, pair[1]);
                tests.add(DynamicTest.dynamicTest(name, () -> assertGradOk(name, in -> f.apply(in.get(0), in.get(1)), a, b)));
            }
        }
        return tests.stream();
    }

    @Test
    void sameTensorOnBothSides() {
        Tensor x = nonZero(13, 2, 3);
        assertGradOk("x * x", in -> in.get(0).mul(in.get(0)), x);
        assertGradOk("x / x", in -> in.get(0).div(in.get(0)), x);
        assertGradOk("x - x * 2", in -> in.get(0).sub(in.get(0).mul(2.0)), x);
    }

    // ---------------------------------------------------------------- element-wise unary

    @Test
    void scalarArithmetic() {
        Tensor x = normal(21, 2, 3);
        Tensor away = nonZero(22, 2, 3);
        assertUnaryGradOk("add(c)", t -> t.add(1.7), x);
        assertUnaryGradOk("sub(c)", t -> t.sub(1.7), x);
        assertUnaryGradOk("mul(c)", t -> t.mul(-2.5), x);
        assertUnaryGradOk("div(c)", t -> t.div(-2.5), x);
        assertUnaryGradOk("rsub(c)", t -> t.rsub(1.7), x);
        assertUnaryGradOk("rdiv(c)", t -> t.rdiv(1.7), away);
        assertUnaryGradOk("neg", Tensor::neg, x);
    }

    @Test
    void powersRootsExpLog() {
        Tensor positive = uniform(31, 0.5, 2.5, 2, 3);
        Tensor x = normal(32, 2, 3);
        assertUnaryGradOk("pow(3)", t -> t.pow(3), positive);
        assertUnaryGradOk("pow(2) mixed signs", t -> t.pow(2), x);
        assertUnaryGradOk("pow(2.5)", t -> t.pow(2.5), positive);
        assertUnaryGradOk("pow(-1.5)", t -> t.pow(-1.5), positive);
        assertUnaryGradOk("square", Tensor::square, x);
        assertUnaryGradOk("sqrt", Tensor::sqrt, positive);
        assertUnaryGradOk("exp", Tensor::exp, x);
        assertUnaryGradOk("log", Tensor::log, positive);
    }

    @Test
    void sinCos() {
        Tensor x = normal(33, 2, 3);
        assertUnaryGradOk("sin", Tensor::sin, x);
        assertUnaryGradOk("cos", Tensor::cos, x);
    }

    @Test
    void absErfClip() {
        assertUnaryGradOk("abs", Tensor::abs, nonZero(41, 2, 3));
        assertUnaryGradOk("erf", Tensor::erf, normal(42, 2, 3));
        assertUnaryGradOk("clip", t -> t.clip(-0.5, 0.5), avoiding(43, 1.0, new double[] {-0.5, 0.5}, 3, 4));
    }

    // ---------------------------------------------------------------- activations

    @Test
    void smoothActivations() {
        Tensor x = avoiding(51, 2.0, new double[0], 3, 4);
        assertUnaryGradOk("sigmoid", Tensor::sigmoid, x);
        assertUnaryGradOk("tanh", Tensor::tanh, x);
        assertUnaryGradOk("softplus", Tensor::softplus, x);
        assertUnaryGradOk("softsign", Tensor::softsign, nonZero(52, 3, 4));
        assertUnaryGradOk("swish", Tensor::swish, x);
        assertUnaryGradOk("gelu tanh form", t -> t.gelu(true), x);
        assertUnaryGradOk("gelu erf form", t -> t.gelu(false), x);
    }

    @Test
    void piecewiseActivations() {
        Tensor x = nonZero(61, 3, 4);
        assertUnaryGradOk("relu", Tensor::relu, x);
        assertUnaryGradOk("leakyRelu", t -> t.leakyRelu(0.2), x);
        assertUnaryGradOk("elu alpha 1", t -> t.elu(1.0), x);
        assertUnaryGradOk("elu alpha 0.5", t -> t.elu(0.5), x);
        assertUnaryGradOk("selu", Tensor::selu, x);
        assertUnaryGradOk("hardSigmoid", Tensor::hardSigmoid, avoiding(62, 3.0, new double[] {-3.0, 3.0}, 3, 4));
    }

    // The largest errors of this class (softmax, ~2.5e-7) are round-off: they shrink with a larger step
    // h, as a correct gradient's do, and stay below the common bound.
    @Test
    void softmaxAndLogSoftmax() {
        Tensor x = normal(71, 3, 4);
        Tensor x3 = normal(72, 2, 3, 4);
        assertUnaryGradOk("softmax axis -1", t -> t.softmax(-1), x);
        assertUnaryGradOk("softmax axis 0", t -> t.softmax(0), x);
        assertUnaryGradOk("softmax rank 3 axis 1", t -> t.softmax(1), x3);
        assertUnaryGradOk("logSoftmax axis -1", t -> t.logSoftmax(-1), x);
        assertUnaryGradOk("logSoftmax axis 0", t -> t.logSoftmax(0), x);
        assertUnaryGradOk("logSoftmax rank 3 axis 1", t -> t.logSoftmax(1), x3);
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void sumAndMean() {
        Tensor x = normal(81, 2, 3, 4);
        assertUnaryGradOk("sum all", t -> t.sum(), x);
        assertUnaryGradOk("sum axis 1", t -> t.sum(false, 1), x);
        assertUnaryGradOk("sum axis 1 keepDims", t -> t.sum(true, 1), x);
        assertUnaryGradOk("sum axis -1", t -> t.sum(false, -1), x);
        assertUnaryGradOk("sum axes 0,2 keepDims", t -> t.sum(true, 0, 2), x);
        assertUnaryGradOk("sum all keepDims", t -> t.sum(true), x);
        assertUnaryGradOk("mean all", t -> t.mean(), x);
        assertUnaryGradOk("mean axis 0", t -> t.mean(false, 0), x);
        assertUnaryGradOk("mean axis 2 keepDims", t -> t.mean(true, 2), x);
        assertUnaryGradOk("mean axis -2", t -> t.mean(false, -2), x);
        assertUnaryGradOk("mean all keepDims", t -> t.mean(true), x);
    }

    @Test
    void max() {
        // continuous samples: no ties within a reduction
        Tensor x = normal(91, 2, 3, 4);
        assertUnaryGradOk("max()", Tensor::max, x);
        assertUnaryGradOk("max all", t -> t.max(false), x);
        assertUnaryGradOk("max all keepDims", t -> t.max(true), x);
        assertUnaryGradOk("max axis 1", t -> t.max(false, 1), x);
        assertUnaryGradOk("max axis 0 keepDims", t -> t.max(true, 0), x);
        assertUnaryGradOk("max axis -1", t -> t.max(false, -1), x);
        assertUnaryGradOk("max axes 0,2", t -> t.max(false, 0, 2), x);
        assertUnaryGradOk("max() of a scalar", Tensor::max, normal(93));
    }

    @Test
    void min() {
        Tensor x = normal(92, 2, 3, 4);
        assertUnaryGradOk("min()", Tensor::min, x);
        assertUnaryGradOk("min all keepDims", t -> t.min(true), x);
        assertUnaryGradOk("min axis 1", t -> t.min(false, 1), x);
        assertUnaryGradOk("min axis 0 keepDims", t -> t.min(true, 0), x);
        assertUnaryGradOk("min axes -1,0", t -> t.min(false, -1, 0), x);
        assertUnaryGradOk("min() of a scalar", Tensor::min, normal(94));
    }

    // ---------------------------------------------------------------- shape

    @Test
    void reshapeAndTranspose() {
        Tensor x = normal(101, 2, 6);
        Tensor x3 = normal(102, 2, 3, 4);
        assertUnaryGradOk("reshape", t -> t.reshape(3, 4), x);
        assertUnaryGradOk("reshape with -1", t -> t.reshape(2, -1, 2), x);
        assertUnaryGradOk("reshape to vector", t -> t.reshape(-1), x3);
        assertUnaryGradOk("transpose rank 2", Tensor::transpose, x);
        assertUnaryGradOk("transpose rank 3 reverses", Tensor::transpose, x3);
        assertUnaryGradOk("transpose axes 1,0,2", t -> t.transpose(1, 0, 2), x3);
        assertUnaryGradOk("transpose axes -1,0,1", t -> t.transpose(-1, 0, 1), x3);
    }

    @Test
    void expandSqueezeBroadcastSumToShape() {
        Tensor x = normal(111, 2, 3);
        assertUnaryGradOk("expandDims 0", t -> t.expandDims(0), x);
        assertUnaryGradOk("expandDims -1", t -> t.expandDims(-1), x);
        assertUnaryGradOk("squeeze 1", t -> t.squeeze(1), normal(112, 2, 1, 3));
        assertUnaryGradOk("broadcastTo [3] -> [2,3]", t -> t.broadcastTo(2, 3), normal(113, 3));
        assertUnaryGradOk("broadcastTo [2,1] -> [4,2,3]", t -> t.broadcastTo(4, 2, 3), normal(114, 2, 1));
        assertUnaryGradOk("broadcastTo [] -> [2,3]", t -> t.broadcastTo(2, 3), normal(115));
        assertUnaryGradOk("sumToShape [2,3] -> [3]", t -> t.sumToShape(3), x);
        assertUnaryGradOk("sumToShape [2,3] -> [2,1]", t -> t.sumToShape(2, 1), x);
        assertUnaryGradOk("sumToShape [4,2,3] -> [1,3]", t -> t.sumToShape(1, 3), normal(116, 4, 2, 3));
    }

    // ---------------------------------------------------------------- matrix

    @Test
    void matmulWithEveryTransposeFlag() {
        Tensor a = normal(121, 2, 3);
        Tensor at = normal(122, 3, 2);
        Tensor b = normal(123, 3, 4);
        Tensor bt = normal(124, 4, 3);
        assertGradOk("matmul a b", in -> in.get(0).matmul(in.get(1)), a, b);
        assertGradOk("matmul aT b", in -> in.get(0).matmul(in.get(1), true, false), at, b);
        assertGradOk("matmul a bT", in -> in.get(0).matmul(in.get(1), false, true), a, bt);
        assertGradOk("matmul aT bT", in -> in.get(0).matmul(in.get(1), true, true), at, bt);
    }

    @Test
    void batchedMatmul() {
        assertGradOk("matmul [2,2,3] x [3,2]", in -> in.get(0).matmul(in.get(1)), normal(131, 2, 2, 3), normal(132, 3, 2));
        assertGradOk("matmul [2,2,3] x [2,3]T", in -> in.get(0).matmul(in.get(1), false, true), normal(133, 2, 2, 3),
                normal(134, 2, 3));
    }

    /** NumPy's matmul: batch axes broadcast, and each gradient is summed over the batches it was repeated in. */
    @Test
    void batchedMatmulWithBroadcastBatches() {
        BinaryOperator<Tensor> mm = Tensor::matmul;
        assertGradOk("matmul [2,2,3] x [2,3,2]", in -> mm.apply(in.get(0), in.get(1)), normal(151, 2, 2, 3), normal(152, 2, 3, 2));
        assertGradOk("matmul [2,1,2,3] x [5,3,4]", in -> mm.apply(in.get(0), in.get(1)), normal(153, 2, 1, 2, 3),
                normal(154, 5, 3, 4));
        assertGradOk("matmul [2,3] x [5,3,4]", in -> mm.apply(in.get(0), in.get(1)), normal(155, 2, 3), normal(156, 5, 3, 4));
        assertGradOk("matmul [3,1,2,3] x [1,4,3,2]", in -> mm.apply(in.get(0), in.get(1)), normal(157, 3, 1, 2, 3),
                normal(158, 1, 4, 3, 2));
        assertGradOk("matmul [2,3,2]T x [2,3,4]", in -> in.get(0).matmul(in.get(1), true, false), normal(159, 2, 3, 2),
                normal(160, 2, 3, 4));
        assertGradOk("matmul [2,2,3] x [1,4,3]T", in -> in.get(0).matmul(in.get(1), false, true), normal(161, 2, 2, 3),
                normal(162, 1, 4, 3));
        assertGradOk("matmul [2,3,2]T x [3,4]", in -> in.get(0).matmul(in.get(1), true, false), normal(163, 2, 3, 2),
                normal(164, 3, 4));
        assertGradOk("matmul [2,3,2]T x [2,4,3]T", in -> in.get(0).matmul(in.get(1), true, true), normal(165, 2, 3, 2),
                normal(166, 2, 4, 3));
    }

    /** A rank-1 operand is a row (left) or a column (right) vector whose added axis is dropped, as in NumPy. */
    @Test
    void matmulWithVectors() {
        BinaryOperator<Tensor> mm = Tensor::matmul;
        assertGradOk("matmul [3] x [2,3,4]", in -> mm.apply(in.get(0), in.get(1)), normal(171, 3), normal(172, 2, 3, 4));
        assertGradOk("matmul [2,3,4] x [4]", in -> mm.apply(in.get(0), in.get(1)), normal(173, 2, 3, 4), normal(174, 4));
        assertGradOk("matmul [4] x [4]", in -> mm.apply(in.get(0), in.get(1)), normal(175, 4), normal(176, 4));
        assertGradOk("matmul [4] x [4,2]", in -> mm.apply(in.get(0), in.get(1)), normal(177, 4), normal(178, 4, 2));
        assertGradOk("matmul [3,4] x [4]", in -> mm.apply(in.get(0), in.get(1)), normal(179, 3, 4), normal(180, 4));
    }

    // ---------------------------------------------------------------- power with a tensor exponent

    @Test
    void powWithATensorExponent() {
        // positive bases: both gradients exist everywhere
        assertGradOk("pow [2,3] ^ [2,3]", in -> in.get(0).pow(in.get(1)), uniform(181, 0.5, 2.5, 2, 3), normal(182, 2, 3));
        assertGradOk("pow [2,3] ^ [3]", in -> in.get(0).pow(in.get(1)), uniform(183, 0.5, 2.5, 2, 3), normal(184, 3));
        assertGradOk("pow [2,1] ^ [1,3]", in -> in.get(0).pow(in.get(1)), uniform(185, 0.5, 2.5, 2, 1), normal(186, 1, 3));
        assertGradOk("pow [] ^ [2,3]", in -> in.get(0).pow(in.get(1)), uniform(187, 0.5, 2.5), normal(188, 2, 3));
        assertGradOk("pow [2,3] ^ []", in -> in.get(0).pow(in.get(1)), uniform(189, 0.5, 2.5, 2, 3), normal(190));
        // negative bases with integer exponents: the base's gradient (the exponent's is NaN there, see PowTensorTest)
        Tensor x = nonZero(191, 2, 3);
        assertUnaryGradOk("pow negative base ^ [2, 3, -1]", t -> t.pow(Tensor.of(new double[] {2, 3, -1}, DataType.DOUBLE)), x);
    }

    // ---------------------------------------------------------------- the checker itself

    /** x³ whose backward claims 2x² instead of 3x². */
    private static final class WrongCube extends CustomOp {
        @Override
        protected INDArray forward(INDArray... x) {
            return x[0].mul(x[0]).mul(x[0]);
        }

        @Override
        protected Tensor[] backward(Tensor grad, Tensor out, Tensor... x) {
            return new Tensor[] {grad.mul(x[0].square().mul(2))};
        }
    }

    @Test
    void checkerCatchesAWrongGradient() {
        double error = GradientCheck.check(in -> new WrongCube().apply(in.get(0)), List.of(uniform(141, 0.5, 2.0, 2, 3)));
        assertTrue(error > 1e-2, "a wrong backward went unnoticed: error " + error);
    }
}
