package org.grad4j.models;

import java.util.Objects;
import org.grad4j.core.Tensor;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.KerasTensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' {@code keras.Input}: the symbolic input of a functional model. Layers called on it record the graph that
 * {@link Model#of} turns into a model:
 *
 * <pre>{@code
 * Tensor a = Input.of(new long[] {784}, "pixels");
 * Tensor out = new Dense(10).apply(new Dense(64, "relu").apply(a));
 * Model model = Model.of(List.of(a), List.of(out));
 * }</pre>
 */
public final class Input {
    private Input() {
    }

    /**
     * A float32 input of per-sample {@code shape} (no batch dimension; -1 for a dimension of any size), produced by
     * an {@link InputLayer} called {@code name} (automatic, {@code input_layer}, ..., when null).
     */
    public static Tensor of(long[] shape, String name) {
        return of(shape, name, DataType.FLOAT);
    }

    /** An input with an automatic name. */
    public static Tensor of(long... shape) {
        return of(shape, null, DataType.FLOAT);
    }

    /** An input of {@code dtype}, e.g. INT32 ids for an Embedding. */
    public static Tensor of(long[] shape, String name, DataType dtype) {
        Objects.requireNonNull(shape, "Input.of: the shape is null");
        Objects.requireNonNull(dtype, "Input.of: the dtype is null");
        InputLayer layer = new InputLayer(shape).dtype(dtype);
        if (name != null) {
            layer.name(name);
        }
        layer.build(layer.batchShape());   // as Keras' InputLayer, built from the start (its summary row shows 0 params)
        return KerasTensor.of(layer);
    }
}
