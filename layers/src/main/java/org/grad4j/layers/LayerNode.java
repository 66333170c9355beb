package org.grad4j.layers;

import java.util.List;
import org.grad4j.core.Tensor;

/**
 * One call of a layer on symbolic tensors (Keras' {@code Node}): the layer, the tensors it was called on, how it
 * was called ({@link CallKind}), the symbolic outputs, and its index among the layer's calls
 * ({@link Layer#inboundNodes()}). A layer called twice (a shared layer) has two nodes and one set of weights.
 */
public final class LayerNode {
    private final Layer layer;
    private final List<KerasTensor> inputs;
    private final CallKind kind;
    private final int index;
    private List<KerasTensor> outputs = List.of();

    LayerNode(Layer layer, List<KerasTensor> inputs, CallKind kind, int index) {
        this.layer = layer;
        this.inputs = List.copyOf(inputs);
        this.kind = kind;
        this.index = index;
    }

    public Layer layer() {
        return layer;
    }

    /** The tensors the layer was called on, in call order (empty for an input's node). */
    public List<KerasTensor> inputs() {
        return inputs;
    }

    public CallKind kind() {
        return kind;
    }

    /** The position of this node among {@code layer().inboundNodes()}. */
    public int index() {
        return index;
    }

    public List<KerasTensor> outputs() {
        return outputs;
    }

    void setOutputs(List<KerasTensor> outputs) {
        this.outputs = List.copyOf(outputs);
    }

    /** Runs this node's layer on concrete {@code values} (one per {@link #inputs()}), as it was called symbolically. */
    public List<Tensor> run(List<Tensor> values, boolean training) {
        return kind.invoke(layer, values, training);
    }

    @Override
    public String toString() {
        return layer.describe() + " node " + index;
    }
}
