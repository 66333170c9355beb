package org.grad4j.core;

import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.apache.commons.lang3.Validate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Where;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;
import org.nd4j.linalg.api.ops.impl.transforms.custom.GreaterThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LessThanOrEqual;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise arithmetic, each op's forward next to its gradient. Binary ops broadcast; the reverse
 * walk sums each gradient back to its input's shape.
 */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = binary("add", a, b, Float::sum, INDArray::add);
        return Graph.record(out, "Add", a, b, g -> g, g -> g);
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binary("sub", a, b, (x, y) -> x - y, INDArray::sub);
        return Graph.record(out, "Sub", a, b, g -> g, g -> g.neg());
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binary("mul", a, b, (x, y) -> x * y, INDArray::mul);
        return Graph.record(out, "Mul", a, b, g -> g.mul(b), g -> g.mul(a));
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = binary("div", a, b, (x, y) -> x / y, INDArray::div);
        return Graph.record(out, "Div", a, b, g -> g.div(b), g -> g.mul(out).div(b).neg());
    }

    /**
     * Element-wise maximum; a NaN in either operand gives NaN, as in NumPy. Where the two are equal the gradient
     * goes to {@code a}; where either is NaN, to {@code b}.
     */
    static Tensor maximum(Tensor a, Tensor b) {
        long[] shape = check("maximum", a, b);
        Tensor aWins = mask(Nd4j.exec(new GreaterThanOrEqual(a.array(), b.array()))[0], a);
        Tensor out = new Tensor(nanFromA(Transforms.max(a.array(), b.array(), true), a.array(), shape));
        return Graph.record(out, "Maximum", a, b, g -> g.mul(aWins), g -> g.mul(aWins.rsub(1.0)));
    }

    /** Element-wise minimum; NaN and the gradient as in {@link #maximum}. */
    static Tensor minimum(Tensor a, Tensor b) {
        long[] shape = check("minimum", a, b);
        Tensor aWins = mask(Nd4j.exec(new LessThanOrEqual(a.array(), b.array()))[0], a);
        Tensor out = new Tensor(nanFromA(Transforms.min(a.array(), b.array(), true), a.array(), shape));
        return Graph.record(out, "Minimum", a, b, g -> g.mul(aWins), g -> g.mul(aWins.rsub(1.0)));
    }

    /**
     * libnd4j's maximum is {@code a > b ? a : b} (minimum {@code a < b ? a : b}): a NaN in {@code b} comes
     * through, a NaN in {@code a} is replaced by {@code b}. This puts it back.
     */
    private static INDArray nanFromA(INDArray out, INDArray a, long[] shape) {
        if (java.util.Arrays.equals(a.shape(), shape)) {
            return Nans.keep(out, a);
        }
        // a broadcast a is repeated for the repair only if it holds a NaN
        return Nans.any(a) ? Nans.keep(out, ShapeOps.broadcastTo(Tensor.of(a), shape).array()) : out;
    }

    /**
     * ND4J's scalar arithmetic quietly replaces a NaN operand by a tiny epsilon; a NaN operand makes every
     * element NaN, so that case is built directly (the Java kernel gives NaN by itself).
     */
    private static Tensor scalarOp(Tensor a, double c, JavaKernels.Unary java, UnaryOperator<INDArray> nd4j) {
        return Kernels.unary(a, java, x -> Double.isNaN(c) ? x.ulike().assign(Double.NaN) : nd4j.apply(x));
    }

    static Tensor add(Tensor a, double c) {
        float f = (float) c;
        return Graph.record(scalarOp(a, c, x -> x + f, x -> x.add(c)), "AddScalar", a, g -> g);
    }

    static Tensor mul(Tensor a, double c) {
        float f = (float) c;
        return Graph.record(scalarOp(a, c, x -> x * f, x -> x.mul(c)), c == -1.0 ? "Neg" : "MulScalar", a,
                g -> g.mul(c));
    }

    static Tensor rsub(Tensor a, double c) {
        float f = (float) c;
        return Graph.record(scalarOp(a, c, x -> f - x, x -> x.rsub(c)), "RsubScalar", a, g -> g.neg());
    }

    static Tensor rdiv(Tensor a, double c) {
        float f = (float) c;
        Tensor out = scalarOp(a, c, x -> f / x, x -> x.rdiv(c));
        return Graph.record(out, "RdivScalar", a, g -> g.mul(out).div(a).neg());
    }

    static Tensor pow(Tensor a, double p) {
        // a float32 tensor is raised to the float32 exponent, as libnd4j and NumPy 2 do
        float f = (float) p;
        Tensor out = unary(a, x -> pow(x, f), x -> Transforms.pow(x, p, true));
        return Graph.record(out, "Pow", a, g -> g.mul(a.pow(p - 1).mul(p)));
    }

    /**
     * {@code a ^ b} with broadcasting. Gradients as PyTorch's: {@code b a^(b-1)} for {@code a}, 0 where b is 0
     * (not {@code 0 * a^-1}, NaN at a = 0); {@code a^b log(a)} for {@code b}, 0 where a is 0 and b >= 0, NaN where
     * a < 0 (no real logarithm; TensorFlow gives 0 there).
     */
    static Tensor pow(Tensor a, Tensor b) {
        long[] shape = check("pow", a, b);
        // libnd4j's pairwise pow wants equal shapes
        Tensor out = Kernels.binary(a, b, shape, ElementwiseOps::pow,
                (x, y) -> Transforms.pow(Nd4jKernels.broadcast(x, shape), Nd4jKernels.broadcast(y, shape), true));
        Tensor zero = Tensor.scalar(0.0, a.dataType());
        Tensor result = out;
        Vjp da = g -> g.mul(where(is(b, v -> v == 0, x -> x.eq(0.0)).broadcastTo(shape), zero,
                b.mul(a.pow(b.sub(1.0)))));
        Vjp db = g -> g.mul(where(is(a, v -> v == 0, x -> x.eq(0.0)).mul(is(b, v -> v >= 0, x -> x.gte(0.0)))
                .broadcastTo(shape), zero, result.mul(a.log())));
        return Graph.record(out, "Pow", a, b, da, db);
    }

    /** A 0/1 constant of {@code t}'s type and shape: where {@code small} (Java) or {@code nd4j} (a BOOL array) holds. */
    private static Tensor is(Tensor t, java.util.function.DoublePredicate small, java.util.function.UnaryOperator<INDArray> nd4j) {
        return unary(t, v -> small.test(v) ? 1f : 0f, x -> nd4j.apply(x).castTo(x.dataType()));
    }

    /**
     * {@code mask ? x : y} element by element, for {@code mask} a 0/1 constant of the result's shape and
     * {@code x}, {@code y} that broadcast to it. Unlike {@code mask * x + (1 - mask) * y}, an infinite or NaN value
     * on the side not taken does not leak into the result (or into the gradient, which goes to the side taken).
     */
    static Tensor where(Tensor mask, Tensor x, Tensor y) {
        long[] shape = mask.shape();
        Tensor xs = x.broadcastTo(shape);
        Tensor ys = y.broadcastTo(shape);
        checkSameType("where", xs, ys);
        Tensor out = Kernels.where(mask, xs, ys);
        Tensor zero = Tensor.scalar(0.0, xs.dataType());
        return Graph.record(out, "Where", xs, ys, g -> where(mask, g, zero), g -> where(mask, zero, g));
    }

    /**
     * C's {@code powf}, which libnd4j and NumPy use. Java's {@code Math.pow} differs on two special cases, where
     * C gives 1: {@code pow(1, y)} for every y, NaN included, and {@code pow(-1, ±Inf)}.
     */
    static float pow(float x, float y) {
        if (x == 1f || (x == -1f && Float.isInfinite(y))) {
            return 1f;
        }
        return (float) Math.pow(x, y);
    }

    static Tensor square(Tensor a) {
        return Graph.record(unary(a, x -> x * x, x -> x.mul(x)), "Square", a, g -> g.mul(a).mul(2.0));
    }

    static Tensor sqrt(Tensor a) {
        Tensor out = unary(a, x -> (float) Math.sqrt(x), x -> Transforms.sqrt(x, true));
        return Graph.record(out, "Sqrt", a, g -> g.div(out.mul(2.0)));
    }

    static Tensor exp(Tensor a) {
        Tensor out = unary(a, x -> (float) Math.exp(x), x -> Transforms.exp(x, true));
        return Graph.record(out, "Exp", a, g -> g.mul(out));
    }

    static Tensor log(Tensor a) {
        return Graph.record(unary(a, x -> (float) Math.log(x), x -> Transforms.log(x, true)), "Log", a, g -> g.div(a));
    }

    static Tensor sin(Tensor a) {
        Tensor out = unary(a, x -> (float) Math.sin(x), x -> Nd4jKernels.inFloat64(x, d -> Transforms.sin(d, false)));
        return Graph.record(out, "Sin", a, g -> g.mul(a.cos()));
    }

    static Tensor cos(Tensor a) {
        Tensor out = unary(a, x -> (float) Math.cos(x), x -> Nd4jKernels.inFloat64(x, d -> Transforms.cos(d, false)));
        return Graph.record(out, "Cos", a, g -> g.mul(a.sin()).neg());
    }

    /** |a|; its gradient is {@code g * sign(a)}, NaN at NaN and 0 at both zeros (NumPy's sign, as PyTorch's abs). */
    static Tensor abs(Tensor a) {
        return Graph.record(unary(a, Math::abs, x -> Transforms.abs(x, true)), "Abs", a, g -> g.mul(sign(a)));
    }

    /** NumPy's sign, untracked: -1, 0 for both zeros, 1, and NaN for NaN (Math.signum keeps -0.0). */
    static Tensor sign(Tensor a) {
        return unary(a, x -> x > 0 ? 1f : x < 0 ? -1f : x == 0 ? 0f : x, Nans::sign);
    }

    /** An element-wise map (see {@link Kernels#unary}). */
    static Tensor unary(Tensor a, JavaKernels.Unary java, UnaryOperator<INDArray> nd4j) {
        return Kernels.unary(a, java, nd4j);
    }

    static Tensor erf(Tensor a) {
        Tensor out = new Tensor(Nd4j.exec(new Erf(a.array(), a.array().ulike())));
        // d/dx erf(x) = 2/sqrt(pi) * exp(-x^2)
        return Graph.record(out, "Erf", a, g -> g.mul(a.square().neg().exp().mul(2.0 / Math.sqrt(Math.PI))));
    }

    /**
     * Values limited to {@code [min, max]} as NumPy's clip: NaN stays NaN, and a value already inside keeps its
     * bits (-0.0 with min 0 stays -0.0). The gradient passes where the value was inside, NaN excluded.
     */
    static Tensor clip(Tensor a, double min, double max) {
        Validate.isTrue(min <= max, "clip: min %s is greater than max %s", min, max);
        float lo = (float) min;
        float hi = (float) max;
        // ClipByValue: one pass, NaN kept (min/max drop it); it refuses min == max
        Tensor out = unary(a, v -> v > hi ? hi : v < lo ? lo : v,
                x -> min < max ? Nd4j.exec(new ClipByValue(x, min, max))[0] : Nd4jKernels.clipToPoint(x, min, max));
        return Graph.record(out, "Clip", a, g -> g.mul(unary(a, v -> v >= lo && v <= hi ? 1f : 0f,
                x -> x.gte(min).castTo(x.dataType()).muli(x.lte(max).castTo(x.dataType())))));
    }

    /** Checks that two operands broadcast and share a data type; returns the broadcast shape. */
    private static long[] check(String op, Tensor a, Tensor b) {
        long[] shape = Shapes.broadcast(op, a.shape(), b.shape());
        checkSameType(op, a, b);
        return shape;
    }

    /** Two operands must share a data type: grad4j does not promote (see {@link Tensor}). */
    static void checkSameType(String op, Tensor a, Tensor b) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(op + ": data types differ: " + a.dataType() + " " + Shapes.format(a.shape())
                    + " and " + b.dataType() + " " + Shapes.format(b.shape()) + "; grad4j does not promote: cast one with"
                    + " castTo(DataType." + a.dataType() + "), or make constants with Tensor.of(double[]) and"
                    + " Tensor.scalar(double), which follow Tensor.defaultFloatType() (" + Tensor.defaultFloatType() + ")");
        }
    }

    /** A checked binary op. */
    private static Tensor binary(String op, Tensor a, Tensor b, JavaKernels.Binary java, BinaryOperator<INDArray> nd4j) {
        return Kernels.binary(a, b, check(op, a, b), java, nd4j);
    }

    /** A 0/1 constant of the like tensor's data type. */
    static Tensor mask(INDArray bool, Tensor like) {
        return new Tensor(bool.castTo(like.dataType()));
    }
}
