package org.grad4j.layers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' InputLayer: declares the per-sample input shape of a model ({@code new InputLayer(9)} accepts
 * batches {@code [-1, 9]}). Its call is the identity after checking the shape.
 */
public class InputLayer extends Layer {
    private final long[] shape;

    /**
     * @param shape the per-sample shape (without the batch dimension); -1 marks a dimension of any size
     */
    public InputLayer(long... shape) {
        for (long d : shape) {
            if (d < -1 || d == 0) {
                throw invalidArgument("InputLayer: the shape's dimensions must be positive or -1 (any size), got "
                        + Shapes.format(shape));
            }
        }
        this.shape = shape.clone();
        Map<Integer, Long> axes = new HashMap<>();
        for (int i = 0; i < shape.length; i++) {
            axes.put(i + 1, shape[i]);
        }
        inputSpec(new InputSpec(shape.length + 1, shape.length + 1, axes, "(declared shape " + Shapes.format(batchShape()) + ")"));
    }

    /** The per-sample shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** The batch shape, {@code [-1, ...shape]}. */
    public long[] batchShape() {
        long[] out = new long[shape.length + 1];
        out[0] = -1;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    @Override
    public InputLayer name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public InputLayer dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    @Override
    public void build(long... inputShape) {
        checkInput(inputShape);
        super.build(inputShape);
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        return inputs;
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        return inputShape.clone();
    }

    /** Keras 3's form: {@code batch_shape} with null for the batch (and any free) dimension. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        List<Long> batchShape = new ArrayList<>();
        for (long d : batchShape()) {
            batchShape.add(d == -1 ? null : d);
        }
        config.put("batch_shape", batchShape);
        return config;
    }

    /** Reads {@code batch_shape} (Keras 3) or a per-sample {@code shape}. */
    static InputLayer fromConfig(Map<String, Object> config) {
        Object batch = config.get("batch_shape");
        Object perSample = config.get("shape");
        List<?> dims = batch instanceof List<?> b ? b.subList(Math.min(1, b.size()), b.size())
                : perSample instanceof List<?> p ? p : null;
        if (dims == null) {
            throw new IllegalArgumentException("InputLayer.fromConfig: the config has no \"batch_shape\" list (keys: "
                    + config.keySet() + ")");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = dims.get(i);
            if (d != null && !(d instanceof Number)) {
                throw new IllegalArgumentException("InputLayer.fromConfig: dimension " + i + " must be a number or null, got "
                        + d);
            }
            shape[i] = d == null ? -1 : ((Number) d).longValue();
        }
        return new InputLayer(shape);
    }
}
