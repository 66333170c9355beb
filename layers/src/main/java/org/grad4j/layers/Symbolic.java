package org.grad4j.layers;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Tensor;

/**
 * Calls a layer on symbolic tensors, as Keras' {@code __call__} does on KerasTensors: the layer is built and run
 * once on a batch of one sample of zeros (the shape inference every layer gets right, since it is its own forward
 * pass), the call is recorded as a {@link LayerNode}, and symbolic outputs of the inferred shapes come back. A
 * shape the layer rejects fails here with the layer's own message, before any node is recorded.
 */
final class Symbolic {
    private Symbolic() {
    }

    static boolean any(List<? extends Tensor> inputs) {
        return inputs.stream().anyMatch(t -> t instanceof KerasTensor);
    }

    /** The inputs as symbolic tensors: all of them must be (a mix of values and symbols has no graph). */
    static List<KerasTensor> all(Layer layer, List<? extends Tensor> inputs) {
        List<KerasTensor> out = new ArrayList<>();
        for (Tensor t : inputs) {
            if (!(t instanceof KerasTensor k)) {
                throw new IllegalArgumentException(layer.describe() + ": called on symbolic and concrete tensors at once; "
                        + "in a functional model every input must come from Input.of(...) or another layer's output");
            }
            out.add(k);
        }
        return out;
    }

    static List<KerasTensor> call(Layer layer, List<KerasTensor> inputs, CallKind kind) {
        List<Tensor> first = run(layer, inputs, kind, 1);
        // a dimension unknown in an input (e.g. the time steps) may stay unknown: run with another size and compare
        List<Tensor> second = inputs.stream().anyMatch(KerasTensor::hasUnknownInnerDimension)
                ? run(layer, inputs, kind, 2) : first;
        LayerNode node = new LayerNode(layer, inputs, kind, layer.inboundNodes().size());
        List<KerasTensor> outputs = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            long[] shape = first.get(i).shape().clone();
            long[] other = second.get(i).shape();
            shape[0] = -1;
            for (int d = 1; d < shape.length; d++) {
                if (other[d] != shape[d]) {
                    shape[d] = -1;
                }
            }
            outputs.add(new KerasTensor(shape, first.get(i).dataType(), node, i,
                    symbolicShape(Masks.of(first.get(i)), Masks.of(second.get(i)))));
        }
        node.setOutputs(outputs);
        layer.addInboundNode(node);
        return outputs;
    }

    /** A mask's batch shape from the two runs, as the outputs' shapes; null when the layer attached none. */
    private static long[] symbolicShape(Tensor first, Tensor second) {
        if (first == null) {
            return null;
        }
        long[] shape = first.shape().clone();
        long[] other = second == null ? shape : second.shape();
        shape[0] = -1;
        for (int d = 1; d < shape.length; d++) {
            if (other.length != shape.length || other[d] != shape[d]) {
                shape[d] = -1;
            }
        }
        return shape;
    }

    private static List<Tensor> run(Layer layer, List<KerasTensor> inputs, CallKind kind, long unknownSize) {
        List<Tensor> values = new ArrayList<>();
        for (KerasTensor k : inputs) {
            values.add(k.placeholder(unknownSize));
        }
        try (NoGrad scope = NoGrad.enter()) {
            return kind.invoke(layer, values, false);
        }
    }
}
