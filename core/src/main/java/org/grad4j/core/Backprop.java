package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reverse walk shared by {@link Tensor#backward()} and {@link GradientTape#gradient}: a
 * topological order found iteratively (a chain of 100,000 ops must not overflow the stack), then one
 * pass from the target down, calling each op's vector-Jacobian products only for inputs that lead to
 * a source, and summing broadcast gradients back to each input's shape.
 */
final class Backprop {
    private Backprop() {
    }

    /** {@link Tensor#backward(Tensor, boolean, boolean)}: checks, walks, and accumulates into the leaves. */
    static void backward(Tensor target, Tensor gradient, boolean retainGraph, boolean createGraph) {
        if (target.node == null && !target.requiresGrad) {
            throw new IllegalStateException("backward(): this tensor (shape " + Shapes.format(target.shape())
                    + ") does not require grad and has no gradFn; mark a leaf with requiresGrad(true) first");
        }
        if (gradient == null && target.size() != 1) {
            throw new IllegalStateException("backward(): the output has shape " + Shapes.format(target.shape())
                    + "; backward() needs a scalar (reduce it first, e.g. with sum() or mean(), or pass a gradient)");
        }
        if (gradient != null && !Arrays.equals(gradient.shape(), target.shape())) {
            throw new IllegalArgumentException("backward(gradient): gradient shape " + Shapes.format(gradient.shape())
                    + " differs from the output shape " + Shapes.format(target.shape()));
        }
        Tensor seed = gradient != null ? gradient : Tensor.onesLike(target);
        Map<Tensor, Tensor> grads = run(target, seed, t -> t.node == null && t.requiresGrad, createGraph, !retainGraph);
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            e.getKey().accumulateGrad(e.getValue(), createGraph);
        }
    }

    /**
     * @param target      the tensor to differentiate
     * @param seed        the gradient of the target (ones for a scalar loss)
     * @param isSource    the tensors whose gradients are wanted
     * @param createGraph record the backward ops, for higher derivatives
     * @param release     free each walked node's closures afterwards
     * @return the gradient of every source reached (identity map)
     */
    static Map<Tensor, Tensor> run(Tensor target, Tensor seed, Predicate<Tensor> isSource, boolean createGraph,
            boolean release) {
        List<Tensor> order = topologicalOrder(target);
        Map<Tensor, Boolean> leadsToSource = new IdentityHashMap<>();
        for (Tensor t : order) {
            boolean relevant = isSource.test(t);
            Node n = t.node;
            if (!relevant && n != null) {
                for (int i = 0; i < n.inputCount() && !relevant; i++) {
                    relevant = n.needsGrad(i) && leadsToSource.getOrDefault(n.input(i), false);
                }
            }
            leadsToSource.put(t, relevant);
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        if (!leadsToSource.get(target)) {
            return grads;
        }
        if (!createGraph) {
            Graph.pauseRecording();
        }
        try {
            grads.put(target, seed);
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor t = order.get(k);
                Node n = t.node;
                Tensor g = grads.get(t);
                if (n == null || g == null) {
                    continue;
                }
                if (!isSource.test(t)) {
                    grads.remove(t); // an intermediate's gradient is no longer needed once passed on
                }
                for (int i = 0; i < n.inputCount(); i++) {
                    Tensor input = n.input(i);
                    if (!n.needsGrad(i) || !leadsToSource.getOrDefault(input, false)) {
                        continue;
                    }
                    Tensor gi = n.vjp(i, g);
                    if (gi == null) {
                        continue;
                    }
                    gi = toInputShape(n, i, gi, input);
                    if (Anomaly.isEnabled()) {
                        checkFinite(n, i, gi);
                    }
                    Tensor previous = grads.get(input);
                    grads.put(input, previous == null ? gi : previous.add(gi));
                }
            }
        } finally {
            if (!createGraph) {
                Graph.resumeRecording();
            }
            if (release) {
                for (Tensor t : order) {
                    if (t.node != null) {
                        t.node.release();
                    }
                }
            }
        }
        grads.keySet().removeIf(t -> !isSource.test(t));
        return grads;
    }

    /** Post-order over the graph below {@code target}: every tensor after all of its inputs. */
    private static List<Tensor> topologicalOrder(Tensor target) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        ArrayList<Integer> next = new ArrayList<>(); // index of the next input to visit, per stack entry
        stack.add(target);
        next.add(0);
        seen.put(target, Boolean.TRUE);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            Node n = t.node;
            int i = next.get(top);
            if (n != null && i < n.inputCount()) {
                next.set(top, i + 1);
                Tensor input = n.input(i);
                if (n.needsGrad(i) && seen.put(input, Boolean.TRUE) == null) {
                    stack.add(input);
                    next.add(0);
                }
            } else {
                stack.remove(top);
                next.remove(top);
                order.add(t);
            }
        }
        return order;
    }

    private static Tensor toInputShape(Node n, int i, Tensor gi, Tensor input) {
        long[] want = input.shape();
        long[] got = gi.shape();
        if (java.util.Arrays.equals(want, got)) {
            return gi;
        }
        if (!Shapes.broadcastsTo(want, got)) {
            throw new IllegalStateException(n.name() + ": the gradient for input " + i + " has shape "
                    + Shapes.format(got) + ", which does not reduce to the input's shape " + Shapes.format(want));
        }
        return gi.sumToShape(want);
    }

    private static void checkFinite(Node n, int i, Tensor gi) {
        INDArray a = gi.array();
        double[] values = a.reshape(a.length()).toDoubleVector();
        for (double v : values) {
            if (Double.isNaN(v)) {
                throw new AnomalyException(n.name(), i, "nan", n.forwardTrace());
            }
            if (Double.isInfinite(v)) {
                throw new AnomalyException(n.name(), i, "inf", n.forwardTrace());
            }
        }
    }
}
