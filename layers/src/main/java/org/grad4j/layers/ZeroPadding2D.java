package org.grad4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Keras' ZeroPadding2D: zero rows above and below and zero columns left and right of
 * {@code [batch, h, w, c]}. {@code new ZeroPadding2D(1)} pads one cell on every side; {@code (top, bottom, left,
 * right)} pads each side as given.
 */
public class ZeroPadding2D extends Layer {
    private final int top;
    private final int bottom;
    private final int left;
    private final int right;

    /** Keras' default: one cell on every side. */
    public ZeroPadding2D() {
        this(1);
    }

    /** {@code p} cells on every side. */
    public ZeroPadding2D(int p) {
        this(p, p, p, p);
    }

    /** Symmetric: {@code rows} above and below, {@code columns} left and right. */
    public ZeroPadding2D(int rows, int columns) {
        this(rows, rows, columns, columns);
    }

    public ZeroPadding2D(int top, int bottom, int left, int right) {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw invalidArgument("ZeroPadding2D: padding must be >= 0, got ((" + top + ", " + bottom + "), (" + left + ", "
                    + right + "))");
        }
        this.top = top;
        this.bottom = bottom;
        this.left = left;
        this.right = right;
        inputSpec(new InputSpec(4, 4, Map.of(), "(channels_last)"));
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        maybeBuild(inputs);
        Tensor rows = pad(inputs, 1, top, bottom);
        return pad(rows, 2, left, right);
    }

    private static Tensor pad(Tensor x, int axis, int before, int after) {
        if (before == 0 && after == 0) {
            return x;
        }
        List<Tensor> parts = new ArrayList<>();
        if (before > 0) {
            parts.add(zeros(x, axis, before));
        }
        parts.add(x);
        if (after > 0) {
            parts.add(zeros(x, axis, after));
        }
        return Tensor.concat(parts, axis);
    }

    private static Tensor zeros(Tensor like, int axis, int size) {
        long[] shape = like.shape().clone();
        shape[axis] = size;
        return Tensor.of(org.nd4j.linalg.factory.Nd4j.zeros(like.dataType(), shape));
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        checkInput(inputShape);
        return new long[] {inputShape[0], inputShape[1] < 0 ? -1 : inputShape[1] + top + bottom,
            inputShape[2] < 0 ? -1 : inputShape[2] + left + right, inputShape[3]};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("padding", List.of(List.of(top, bottom), List.of(left, right)));
        config.put("data_format", "channels_last");
        return config;
    }

    static ZeroPadding2D fromConfig(Map<String, Object> config) {
        ConvArguments.requireChannelsLast("ZeroPadding2D.fromConfig", config);
        Object padding = config.get("padding");
        if (padding == null) {
            return new ZeroPadding2D();
        }
        if (padding instanceof Number n) {
            return new ZeroPadding2D(n.intValue());
        }
        if (padding instanceof List<?> list && list.size() == 2) {
            if (list.get(0) instanceof Number a && list.get(1) instanceof Number b) {
                return new ZeroPadding2D(a.intValue(), b.intValue());
            }
            if (list.get(0) instanceof List<?> h && list.get(1) instanceof List<?> w && h.size() == 2 && w.size() == 2) {
                return new ZeroPadding2D(((Number) h.get(0)).intValue(), ((Number) h.get(1)).intValue(),
                        ((Number) w.get(0)).intValue(), ((Number) w.get(1)).intValue());
            }
        }
        throw new IllegalArgumentException("ZeroPadding2D.fromConfig: config key \"padding\" must be an int, a pair of ints "
                + "or a pair of pairs, got " + padding);
    }
}
