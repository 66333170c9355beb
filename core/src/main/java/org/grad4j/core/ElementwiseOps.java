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
        Tensor out = new Tensor(binary("add", a, b).add(b.array));
        return Graph.record(out, "Add", a, b, g -> g, g -> g);
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = new Tensor(binary("sub", a, b).sub(b.array));
        return Graph.record(out, "Sub", a, b, g -> g, g -> g.neg());
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = new Tensor(binary("mul", a, b).mul(b.array));
        return Graph.record(out, "Mul", a, b, g -> g.mul(b), g -> g.mul(a));
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = new Tensor(binary("div", a, b).div(b.array));
        return Graph.record(out, "Div", a, b, g -> g.div(b), g -> g.mul(out).div(b).neg());
    }

    /** Element-wise maximum; where the two are equal the gradient goes to {@code a}. */
    static Tensor maximum(Tensor a, Tensor b) {
        binary("maximum", a, b);
        Tensor aWins = mask(Nd4j.exec(new GreaterThanOrEqual(a.array, b.array))[0], a);
        Tensor out = new Tensor(Transforms.max(a.array, b.array, true));
        return Graph.record(out, "Maximum", a, b, g -> g.mul(aWins), g -> g.mul(aWins.rsub(1.0)));
    }

    /** Element-wise minimum; where the two are equal the gradient goes to {@code a}. */
    static Tensor minimum(Tensor a, Tensor b) {
        binary("minimum", a, b);
        Tensor aWins = mask(Nd4j.exec(new LessThanOrEqual(a.array, b.array))[0], a);
        Tensor out = new Tensor(Transforms.min(a.array, b.array, true));
        return Graph.record(out, "Minimum", a, b, g -> g.mul(aWins), g -> g.mul(aWins.rsub(1.0)));
    }

    /**
     * ND4J's scalar arithmetic quietly replaces a NaN operand by a tiny epsilon; a NaN operand makes every
     * element NaN, so that case is built directly.
     */
    private static INDArray scalarOp(INDArray a, double c, java.util.function.DoubleFunction<INDArray> op) {
        return Double.isNaN(c) ? a.ulike().assign(Double.NaN) : op.apply(c);
    }

    static Tensor add(Tensor a, double c) {
        return Graph.record(new Tensor(scalarOp(a.array, c, a.array::add)), "AddScalar", a, g -> g);
    }

    static Tensor mul(Tensor a, double c) {
        return Graph.record(new Tensor(scalarOp(a.array, c, a.array::mul)), c == -1.0 ? "Neg" : "MulScalar", a,
                g -> g.mul(c));
    }

    static Tensor rsub(Tensor a, double c) {
        return Graph.record(new Tensor(scalarOp(a.array, c, a.array::rsub)), "RsubScalar", a, g -> g.neg());
    }

    static Tensor rdiv(Tensor a, double c) {
        Tensor out = new Tensor(scalarOp(a.array, c, a.array::rdiv));
        return Graph.record(out, "RdivScalar", a, g -> g.mul(out).div(a).neg());
    }

    static Tensor pow(Tensor a, double p) {
        Tensor out = new Tensor(Transforms.pow(a.array, p, true));
        return Graph.record(out, "Pow", a, g -> g.mul(a.pow(p - 1).mul(p)));
    }

    static Tensor square(Tensor a) {
        return Graph.record(new Tensor(a.array.mul(a.array)), "Square", a, g -> g.mul(a).mul(2.0));
    }

    static Tensor sqrt(Tensor a) {
        Tensor out = new Tensor(Transforms.sqrt(a.array, true));
        return Graph.record(out, "Sqrt", a, g -> g.div(out.mul(2.0)));
    }

    static Tensor exp(Tensor a) {
        Tensor out = new Tensor(Transforms.exp(a.array, true));
        return Graph.record(out, "Exp", a, g -> g.mul(out));
    }

    static Tensor log(Tensor a) {
        return Graph.record(new Tensor(Transforms.log(a.array, true)), "Log", a, g -> g.div(a));
    }

    static Tensor abs(Tensor a) {
        Tensor sign = new Tensor(Transforms.sign(a.array, true));
        return Graph.record(new Tensor(Transforms.abs(a.array, true)), "Abs", a, g -> g.mul(sign));
    }

    static Tensor erf(Tensor a) {
        Tensor out = new Tensor(Nd4j.exec(new Erf(a.array, a.array.ulike())));
        // d/dx erf(x) = 2/sqrt(pi) * exp(-x^2)
        return Graph.record(out, "Erf", a, g -> g.mul(a.square().neg().exp().mul(2.0 / Math.sqrt(Math.PI))));
    }

    static Tensor clip(Tensor a, double min, double max) {
        Validate.isTrue(min <= max, "clip: min %s is greater than max %s", min, max);
        INDArray inside = a.array.gte(min).castTo(a.dataType()).muli(a.array.lte(max).castTo(a.dataType()));
        Tensor mask = new Tensor(inside);
        return Graph.record(new Tensor(Transforms.max(Transforms.min(a.array, max, true), min, false)), "Clip", a,
                g -> g.mul(mask));
    }

    /** Checks that two operands broadcast and share a data type; returns the left array. */
    private static INDArray binary(String op, Tensor a, Tensor b) {
        Shapes.broadcast(op, a.shape(), b.shape());
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(op + ": data types differ: " + a.dataType() + " " + Shapes.format(a.shape())
                    + " and " + b.dataType() + " " + Shapes.format(b.shape()) + "; cast one with castTo()");
        }
        return a.array;
    }

    /** A 0/1 constant of the like tensor's data type. */
    static Tensor mask(INDArray bool, Tensor like) {
        return new Tensor(bool.castTo(like.dataType()));
    }
}
