package org.grad4j.layers;

import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras' {@code KerasTensor}: a symbolic tensor of a functional model's graph. It has a batch shape whose batch
 * dimension is unknown ({@code -1}, Keras' {@code None}), a data type, and the history that produced it: the layer,
 * which of the layer's calls ({@link LayerNode}) and which of that call's outputs. Calling a layer on one records
 * a new node and returns new symbolic outputs; {@code Model.of(inputs, outputs)} turns the recorded graph into a model.
 *
 * <p>Its values are a placeholder of zeros (unknown dimensions of size 1), there only because every Tensor has
 * values: symbolic tensors are for building graphs with layers, not for arithmetic.
 */
public final class KerasTensor extends Tensor {
    private final long[] batchShape;
    private final LayerNode node;
    private final int tensorIndex;
    /** The batch shape of the mask the layer attaches to this output (Keras' symbolic {@code _keras_mask}); null for none. */
    private final long[] maskShape;

    KerasTensor(long[] batchShape, DataType dtype, LayerNode node, int tensorIndex) {
        this(batchShape, dtype, node, tensorIndex, null);
    }

    KerasTensor(long[] batchShape, DataType dtype, LayerNode node, int tensorIndex, long[] maskShape) {
        super(Nd4j.zeros(dtype, concrete(batchShape, 1)));
        this.batchShape = batchShape.clone();
        this.node = node;
        this.tensorIndex = tensorIndex;
        this.maskShape = maskShape == null ? null : maskShape.clone();
    }

    /** Whether the values this tensor stands for carry a mask ({@link Masks}), e.g. after an Embedding with maskZero. */
    public boolean hasMask() {
        return maskShape != null;
    }

    /** The mask's batch shape ({@code [-1, steps]}), or null when the tensor carries none. */
    public long[] maskShape() {
        return maskShape == null ? null : maskShape.clone();
    }

    /** The symbolic output of an {@link InputLayer}: its node is recorded on the layer, with no inbound tensors. */
    public static KerasTensor of(InputLayer input) {
        LayerNode node = new LayerNode(input, java.util.List.of(), CallKind.INPUT, input.inboundNodes().size());
        KerasTensor out = new KerasTensor(input.batchShape(), input.dtype(), node, 0);
        node.setOutputs(java.util.List.of(out));
        input.addInboundNode(node);
        return out;
    }

    /** The batch shape, {@code -1} for the batch and any other unknown dimension. */
    @Override
    public long[] shape() {
        return batchShape;
    }

    /** The layer that produced this tensor. */
    public Layer layer() {
        return node.layer();
    }

    /** The layer call that produced this tensor. */
    public LayerNode node() {
        return node;
    }

    /** Which of the node's outputs this is (0 for a layer with one output). */
    public int tensorIndex() {
        return tensorIndex;
    }

    /** Keras' {@code keras_history} as its summary prints it: {@code dense_1[0][0]}. */
    public String history() {
        return node.layer().name() + "[" + node.index() + "][" + tensorIndex + "]";
    }

    /** Zeros of this tensor's shape, the batch and unknown dimensions of size {@code unknownSize}. */
    Tensor placeholder(long unknownSize) {
        long[] shape = concrete(batchShape, unknownSize);
        shape[0] = 1;
        Tensor values = Tensor.of(Nd4j.zeros(dataType(), shape));
        if (maskShape != null) {
            long[] m = concrete(maskShape, unknownSize);
            m[0] = 1;
            Masks.attach(values, Tensor.of(Nd4j.ones(DataType.BOOL, m)));   // every step real: only the shapes matter
        }
        return values;
    }

    boolean hasUnknownInnerDimension() {
        for (int i = 1; i < batchShape.length; i++) {
            if (batchShape[i] < 0) {
                return true;
            }
        }
        return false;
    }

    private static long[] concrete(long[] shape, long unknownSize) {
        long[] out = shape.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] < 0 ? unknownSize : out[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "KerasTensor(shape=" + Shapes.format(batchShape) + ", dtype=" + dataType() + ", history=" + history() + ")";
    }
}
