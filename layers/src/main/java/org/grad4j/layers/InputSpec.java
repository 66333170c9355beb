package org.grad4j.layers;

import java.util.Map;
import java.util.TreeMap;
import org.grad4j.core.Shapes;

/**
 * What a layer accepts (Keras' {@code InputSpec}): a range of ranks and the fixed sizes of some axes.
 * {@link Layer} checks it before building and before every call; a layer records a stricter one once
 * its weights fix a size (Dense: the last dimension must equal the kernel's rows).
 *
 * @param minRank smallest accepted rank
 * @param maxRank largest accepted rank ({@code Integer.MAX_VALUE} for no bound)
 * @param axes    axis to required size; a negative axis counts from the end ({@code -1} is the last)
 * @param detail  a hint appended to size errors, e.g. {@code "(kernel [9, 64])"}; may be empty
 */
public record InputSpec(int minRank, int maxRank, Map<Integer, Long> axes, String detail) {

    public InputSpec {
        if (minRank < 0 || maxRank < minRank) {
            throw new IllegalArgumentException("InputSpec: bad rank range [" + minRank + ", " + maxRank + "]");
        }
        axes = Map.copyOf(axes);
        detail = detail == null ? "" : detail;
    }

    /** Any shape of rank {@code minRank} or more. */
    public static InputSpec atLeastRank(int minRank) {
        return new InputSpec(minRank, Integer.MAX_VALUE, Map.of(), "");
    }

    /** Rank {@code minRank} or more, with the last dimension equal to {@code size}. */
    public static InputSpec lastDimension(int minRank, long size, String detail) {
        return new InputSpec(minRank, Integer.MAX_VALUE, Map.of(-1, size), detail);
    }

    /**
     * Checks a batch shape. Dimensions given as -1 (unknown, as when a model is built from a
     * per-sample shape) are not compared.
     *
     * @throws IllegalArgumentException naming the layer, the rule and the shape
     */
    public void check(Layer layer, long[] shape) {
        int rank = shape.length;
        if (rank < minRank || rank > maxRank) {
            String expected = minRank == maxRank ? "rank " + minRank
                    : maxRank == Integer.MAX_VALUE ? "rank >= " + minRank : "rank in [" + minRank + ", " + maxRank + "]";
            throw new IllegalArgumentException(layer.describe() + ": input must have " + expected + suffix()
                    + ", got shape " + Shapes.format(shape));
        }
        for (Map.Entry<Integer, Long> e : new TreeMap<>(axes).entrySet()) {
            int axis = e.getKey() < 0 ? rank + e.getKey() : e.getKey();
            if (axis < 0 || axis >= rank) {
                throw new IllegalArgumentException(layer.describe() + ": input has no axis " + e.getKey() + suffix()
                        + ", got shape " + Shapes.format(shape));
            }
            long size = e.getValue();
            if (shape[axis] != -1 && size != -1 && shape[axis] != size) {
                String which = axis == rank - 1 ? "last dimension" : "dimension " + axis;
                throw new IllegalArgumentException(layer.describe() + ": input " + which + " must be " + size + suffix()
                        + ", got shape " + Shapes.format(shape));
            }
        }
    }

    private String suffix() {
        return detail.isEmpty() ? "" : " " + detail;
    }
}
