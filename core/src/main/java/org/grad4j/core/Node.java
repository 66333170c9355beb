package org.grad4j.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One recorded op in the graph: its inputs and, per input, the vector-Jacobian product. A tensor's
 * {@link Tensor#gradFn()} is the node that produced it; {@code toString()} gives its name, e.g.
 * {@code MulBackward}.
 */
public final class Node {
    private final String name;
    private final Tensor[] inputs;
    private Vjp[] vjps;
    private final boolean[] needsGrad;
    private final Throwable forwardTrace;

    Node(String name, Tensor[] inputs, Vjp[] vjps, boolean[] needsGrad, Throwable forwardTrace) {
        this.name = name;
        this.inputs = inputs;
        this.vjps = vjps;
        this.needsGrad = needsGrad;
        this.forwardTrace = forwardTrace;
    }

    /** The backward node's name, e.g. {@code MulBackward}. */
    public String name() {
        return name;
    }

    /** The op's inputs, in order. */
    public List<Tensor> inputs() {
        return Collections.unmodifiableList(Arrays.asList(inputs));
    }

    /** True once a backward pass without retainGraph has freed this node. */
    public boolean isReleased() {
        return vjps == null;
    }

    Tensor input(int i) {
        return inputs[i];
    }

    int inputCount() {
        return inputs.length;
    }

    boolean needsGrad(int i) {
        return needsGrad[i];
    }

    Throwable forwardTrace() {
        return forwardTrace;
    }

    Tensor vjp(int i, Tensor grad) {
        if (vjps == null) {
            throw new IllegalStateException("Trying to walk " + name + " a second time, but its graph was freed "
                    + "by an earlier backward()/gradient(). Use backward(true) (retainGraph) or "
                    + "GradientTape.persistent() if the graph must be walked more than once.");
        }
        return vjps[i].apply(grad);
    }

    /** Drops the backward closures, and with them the arrays they hold for the backward pass. */
    void release() {
        vjps = null;
    }

    @Override
    public String toString() {
        return name;
    }
}
