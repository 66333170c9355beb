package org.grad4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Neural-network non-linearities. Those with a cheap closed-form derivative have their own backward;
 * the rest (selu, softsign, swish, hard sigmoid, approximate gelu) are compositions of primitive ops
 * and need none.
 */
final class ActivationOps {
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private ActivationOps() {
    }

    static Tensor sigmoid(Tensor x) {
        // libnd4j's formula, in float as it computes it (SciPy's float32 expit too), so both paths give the same
        // bits, down to 0 below -88.7 where e^-x overflows
        Tensor out = ElementwiseOps.unary(x, v -> 1f / (1f + (float) Math.exp(-v)), a -> Transforms.sigmoid(a, true));
        return Graph.record(out, "Sigmoid", x, g -> g.mul(out).mul(out.rsub(1.0)));
    }

    static Tensor tanh(Tensor x) {
        // float32 arrays never reach libnd4j's float tanh (see tanh(float))
        Tensor out = Kernels.map(x, ActivationOps::tanh, Nd4jKernels::tanh);
        return Graph.record(out, "Tanh", x, g -> g.mul(out.square().rsub(1.0)));
    }

    /**
     * tanh in float32 as NumPy gives it. libnd4j's float tanh computes {@code (1 - e^-2|x|) / (1 + e^-2|x|)} in
     * float and so loses small inputs: tanh(1e-5) came out 1.001368e-5, tanh(1e-7) 8.9e-8, and everything below
     * 3e-8, subnormals included, 0. The same formula in double is accurate to 1e-12 for |x| >= 2^-13 (one
     * intrinsic exp, as fast as libnd4j's op); below that tanh(x) rounds to x itself, since x³/3 is under half an
     * ulp of x. NaN stays NaN, ±Inf gives ±1, -0.0 stays -0.0.
     */
    static float tanh(float x) {
        double ax = Math.abs(x);
        if (ax < 0x1p-13) {
            return x;
        }
        double p = Math.exp(-2 * ax);
        return (float) Math.copySign((1 - p) / (1 + p), x);
    }

    static Tensor relu(Tensor x) {
        // libnd4j's relu is x < 0 ? 0 : x, which keeps NaN (and -0.0); "x > 0 ? x : 0" would turn NaN into 0 and
        // hide it from the loss on small tensors only
        Tensor out = ElementwiseOps.unary(x, FloatLoops::relu, a -> Transforms.relu(a, true));
        // the 0/1 mask is made only if a backward pass comes, from the output (positive exactly where x is)
        return Graph.record(out, "Relu", x, g -> g.mul(positiveMask(out)));
    }

    /**
     * 1 where {@code t} is positive, 0 elsewhere (NaN included, as libnd4j's step and TensorFlow's ReluGrad give):
     * a ReLU's derivative, read off its output.
     */
    static Tensor positiveMask(Tensor t) {
        return ElementwiseOps.unary(t, FloatLoops::positiveMask, a -> Transforms.step(a, true));
    }

    static Tensor leakyRelu(Tensor x, double slope) {
        INDArray positive = x.array().gt(0).castTo(x.dataType());
        // slope where x <= 0, 1 where x > 0
        Tensor derivative = new Tensor(positive.mul(1.0 - slope).addi(slope));
        return Graph.record(new Tensor(x.array().mul(derivative.array())), "LeakyRelu", x, g -> g.mul(derivative));
    }

    static Tensor elu(Tensor x, double alpha) {
        Tensor positive = ElementwiseOps.mask(x.array().gt(0), x);
        // alpha * (exp(min(x, 0)) - 1) is 0 where x > 0, so adding it to relu(x) gives elu everywhere
        INDArray negativePart = Transforms.exp(Transforms.min(x.array(), 0.0, true), false).subi(1.0).muli(alpha);
        Tensor out = new Tensor(Transforms.relu(x.array(), true).addi(negativePart));
        // derivative: 1 where x > 0, out + alpha elsewhere
        return Graph.record(out, "Elu", x,
                g -> g.mul(positive.add(out.add(alpha).mul(positive.rsub(1.0)))));
    }

    static Tensor selu(Tensor x) {
        return x.elu(SELU_ALPHA).mul(SELU_SCALE);
    }

    static Tensor softplus(Tensor x) {
        // max(x, 0) + log1p(exp(-|x|)): exp never overflows
        INDArray tail = Transforms.log(Transforms.exp(Transforms.abs(x.array(), true).negi(), false).addi(1.0), false);
        Tensor out = new Tensor(Transforms.relu(x.array(), true).addi(tail));
        return Graph.record(out, "Softplus", x, g -> g.mul(x.sigmoid()));
    }

    static Tensor softsign(Tensor x) {
        return x.div(x.abs().add(1.0));
    }

    static Tensor swish(Tensor x) {
        return x.mul(x.sigmoid());
    }

    static Tensor hardSigmoid(Tensor x) {
        return x.div(6.0).add(0.5).clip(0.0, 1.0);
    }

    static Tensor gelu(Tensor x, boolean approximate) {
        if (approximate) {
            // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
            Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
            return x.mul(inner.tanh().add(1.0)).mul(0.5);
        }
        // x * Phi(x), with Phi the standard normal CDF
        return x.mul(x.mul(1.0 / Math.sqrt(2.0)).erf().add(1.0)).mul(0.5);
    }

    static Tensor softmax(Tensor x, int axis) {
        int a = Shapes.normalizeAxis("softmax", axis, x.rank());
        Tensor out = Kernels.softmax(x, a, false);
        // s * (g - sum(g * s))
        return Graph.record(out, "Softmax", x, g -> out.mul(g.sub(g.mul(out).sum(true, a))));
    }

    static Tensor logSoftmax(Tensor x, int axis) {
        int a = Shapes.normalizeAxis("logSoftmax", axis, x.rank());
        Tensor out = Kernels.softmax(x, a, true);
        // g - softmax * sum(g)
        return Graph.record(out, "LogSoftmax", x, g -> g.sub(out.exp().mul(g.sum(true, a))));
    }
}
