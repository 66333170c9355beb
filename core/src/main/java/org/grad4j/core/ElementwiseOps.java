package org.grad4j.core;

import org.apache.commons.lang3.Validate;
import org.nd4j.linalg.api.ndarray.INDArray;
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

    /** Element-wise maximum; where the two are equal the gradient goes to {@code a}. */
    static Tensor maximum(Tensor a, Tensor b) {
        check("maximum", a, b);
        Tensor aWins = mask(Nd4j.exec(new GreaterThanOrEqual(a.array(), b.array()))[0], a);
        Tensor out = new Tensor(Transforms.max(a.array(), b.array(), true));
        return Graph.record(out, "Maximum", a, b, g -> g.mul(aWins), g -> g.mul(aWins.rsub(1.0)));
    }

    /** Element-wise minimum; where the two are equal the gradient goes to {@code a}. */
    static Tensor minimum(Tensor a, Tensor b) {
        check("minimum", a, b);
        Tensor aWins = mask(Nd4j.exec(new LessThanOrEqual(a.array(), b.array()))[0], a);
        Tensor out = new Tensor(Transforms.min(a.array(), b.array(), true));
        return Graph.record(out, "Minimum", a, b, g -> g.mul(aWins), g -> g.mul(aWins.rsub(1.0)));
    }

    /**
     * ND4J's scalar arithmetic quietly replaces a NaN operand by a tiny epsilon; a NaN operand makes every
     * element NaN, so that case is built directly.
     */
    private static Tensor scalarOp(Tensor a, double c, SmallArrays.Unary small,
            java.util.function.DoubleFunction<INDArray> op) {
        if (SmallArrays.fits(a)) {
            return SmallArrays.unary(a, small);   // a NaN operand gives NaN here by itself
        }
        return new Tensor(Double.isNaN(c) ? a.array().ulike().assign(Double.NaN) : op.apply(c));
    }

    static Tensor add(Tensor a, double c) {
        float f = (float) c;
        return Graph.record(scalarOp(a, c, x -> x + f, v -> a.array().add(v)), "AddScalar", a, g -> g);
    }

    static Tensor mul(Tensor a, double c) {
        float f = (float) c;
        return Graph.record(scalarOp(a, c, x -> x * f, v -> a.array().mul(v)), c == -1.0 ? "Neg" : "MulScalar", a,
                g -> g.mul(c));
    }

    static Tensor rsub(Tensor a, double c) {
        float f = (float) c;
        return Graph.record(scalarOp(a, c, x -> f - x, v -> a.array().rsub(v)), "RsubScalar", a, g -> g.neg());
    }

    static Tensor rdiv(Tensor a, double c) {
        float f = (float) c;
        Tensor out = scalarOp(a, c, x -> f / x, v -> a.array().rdiv(v));
        return Graph.record(out, "RdivScalar", a, g -> g.mul(out).div(a).neg());
    }

    static Tensor pow(Tensor a, double p) {
        Tensor out = unary(a, x -> (float) Math.pow(x, p), x -> Transforms.pow(x, p, true));
        return Graph.record(out, "Pow", a, g -> g.mul(a.pow(p - 1).mul(p)));
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

    static Tensor abs(Tensor a) {
        Tensor sign = unary(a, Math::signum, x -> Transforms.sign(x, true));
        return Graph.record(unary(a, Math::abs, x -> Transforms.abs(x, true)), "Abs", a, g -> g.mul(sign));
    }

    /** An element-wise map: a Java loop for a small tensor, the ND4J op otherwise. */
    static Tensor unary(Tensor a, SmallArrays.Unary small, java.util.function.UnaryOperator<INDArray> nd4j) {
        return SmallArrays.fits(a) ? SmallArrays.unary(a, small) : new Tensor(nd4j.apply(a.array()));
    }

    static Tensor erf(Tensor a) {
        Tensor out = new Tensor(Nd4j.exec(new Erf(a.array(), a.array().ulike())));
        // d/dx erf(x) = 2/sqrt(pi) * exp(-x^2)
        return Graph.record(out, "Erf", a, g -> g.mul(a.square().neg().exp().mul(2.0 / Math.sqrt(Math.PI))));
    }

    static Tensor clip(Tensor a, double min, double max) {
        Validate.isTrue(min <= max, "clip: min %s is greater than max %s", min, max);
        if (SmallArrays.fits(a)) {
            float lo = (float) min;
            float hi = (float) max;
            Tensor inside = SmallArrays.unary(a, v -> v >= lo && v <= hi ? 1f : 0f);
            Tensor out = SmallArrays.unary(a, v -> Math.max(Math.min(v, hi), lo));
            return Graph.record(out, "Clip", a, g -> g.mul(inside));
        }
        INDArray inside = a.array().gte(min).castTo(a.dataType()).muli(a.array().lte(max).castTo(a.dataType()));
        Tensor mask = new Tensor(inside);
        return Graph.record(new Tensor(Transforms.max(Transforms.min(a.array(), max, true), min, false)), "Clip", a,
                g -> g.mul(mask));
    }

    /** Checks that two operands broadcast and share a data type; returns the broadcast shape. */
    private static long[] check(String op, Tensor a, Tensor b) {
        long[] shape = Shapes.broadcast(op, a.shape(), b.shape());
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(op + ": data types differ: " + a.dataType() + " " + Shapes.format(a.shape())
                    + " and " + b.dataType() + " " + Shapes.format(b.shape()) + "; cast one with castTo()");
        }
        return shape;
    }

    /** A checked binary op: Java loops when both operands and the result are small, ND4J otherwise. */
    private static Tensor binary(String op, Tensor a, Tensor b, SmallArrays.Binary small,
            java.util.function.BinaryOperator<INDArray> nd4j) {
        long[] shape = check(op, a, b);
        Tensor out = SmallArrays.fits(a, b) ? SmallArrays.binary(a, b, shape, small) : null;
        return out != null ? out : new Tensor(nd4j.apply(a.array(), b.array()));
    }

    /** A 0/1 constant of the like tensor's data type. */
    static Tensor mask(INDArray bool, Tensor like) {
        return new Tensor(bool.castTo(like.dataType()));
    }
}
