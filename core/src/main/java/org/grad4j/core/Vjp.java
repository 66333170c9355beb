package org.grad4j.core;

/**
 * A vector-Jacobian product: given the gradient flowing into an op's output, the gradient for one of
 * its inputs. Written with {@link Tensor} ops so that a second tape can differentiate it again. The
 * result may have the output's (broadcast) shape; the reverse walk sums it back to the input's shape.
 */
@FunctionalInterface
interface Vjp {
    Tensor apply(Tensor grad);
}
