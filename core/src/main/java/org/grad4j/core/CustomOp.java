package org.grad4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A user's own op with its own gradient, as PyTorch's {@code autograd.Function}: the forward on raw
 * arrays, the backward with {@link Tensor} ops (so it can be differentiated again), on one class.
 *
 * <pre>{@code
 * class Cube extends CustomOp {
 *     protected INDArray forward(INDArray... x) { return x[0].mul(x[0]).mul(x[0]); }
 *     protected Tensor[] backward(Tensor grad, Tensor out, Tensor... x) {
 *         return new Tensor[] {grad.mul(x[0].square().mul(3))};
 *     }
 * }
 * Tensor y = new Cube().apply(x);
 * }</pre>
 *
 * Check it with {@link GradientCheck#check}.
 */
public abstract class CustomOp {

    /** The op's name; its graph node is called {@code name() + "Backward"}. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Computes the output from the inputs' arrays. Must not modify the inputs. */
    protected abstract INDArray forward(INDArray... inputs);

    /**
     * The gradient for each input given the gradient of the output; an entry may be {@code null} for
     * an input with no gradient, and may have the output's broadcast shape.
     */
    protected abstract Tensor[] backward(Tensor grad, Tensor output, Tensor... inputs);

    /** Runs the forward and records the op when any input is tracked. */
    public final Tensor apply(Tensor... inputs) {
        INDArray[] arrays = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            arrays[i] = inputs[i].array();
        }
        INDArray result = forward(arrays);
        if (result == null) {
            throw new IllegalStateException(name() + ".forward returned null");
        }
        Tensor out = Tensor.of(result);
        Tensor[] frozen = inputs.clone();
        // The walk asks for each input's gradient in turn with the same upstream gradient:
        // run backward once per upstream gradient and hand out its entries.
        Object[] memo = new Object[2];
        Vjp[] vjps = new Vjp[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            int index = i;
            vjps[i] = g -> {
                if (memo[0] != g) {
                    Tensor[] grads = backward(g, out, frozen);
                    if (grads == null || grads.length != frozen.length) {
                        throw new IllegalStateException(name() + ".backward returned "
                                + (grads == null ? "null" : grads.length + " gradients") + " for " + frozen.length
                                + " inputs " + Arrays.toString(Arrays.stream(frozen).map(t -> Shapes.format(t.shape())).toArray()));
                    }
                    memo[0] = g;
                    memo[1] = grads;
                }
                return ((Tensor[]) memo[1])[index];
            };
        }
        return Graph.record(out, name(), frozen, vjps);
    }
}
