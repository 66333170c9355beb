package org.grad4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Keras' Concatenate: joins its inputs along {@code axis} (default -1); every other dimension must agree. */
public class Concatenate extends Merge {
    private final int axis;

    /** Along the last axis. */
    public Concatenate() {
        this(-1);
    }

    /** Along {@code axis} (negative counts from the end; 0 is the batch axis). */
    public Concatenate(int axis) {
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    protected int minInputs() {
        return 1;
    }

    @Override
    protected void checkShapes(List<long[]> shapes) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException(describe() + ": needs at least 1 input, got none");
        }
        int rank = shapes.get(0).length;
        int a = axis < 0 ? axis + rank : axis;
        boolean ok = a >= 0 && a < rank;
        for (long[] s : shapes) {
            ok &= s.length == rank;
            for (int i = 0; ok && i < rank; i++) {
                long x = s[i];
                long y = shapes.get(0)[i];
                ok = i == a || x == y || x == -1 || y == -1;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(describe() + ": inputs of shapes " + format(shapes)
                    + " cannot be joined along axis " + axis + ": they must have one rank and agree on every other axis");
        }
    }

    @Override
    public long[] computeOutputShape(List<long[]> shapes) {
        checkShapes(shapes);
        long[] out = shapes.get(0).clone();
        int a = axis < 0 ? axis + out.length : axis;
        for (long[] s : shapes.subList(1, shapes.size())) {
            out[a] = out[a] == -1 || s[a] == -1 ? -1 : out[a] + s[a];
        }
        for (int i = 0; i < out.length; i++) {
            for (long[] s : shapes) {
                out[i] = out[i] == -1 && i != a ? s[i] : out[i];
            }
        }
        return out;
    }

    @Override
    public Tensor call(List<Tensor> inputs, boolean training) {
        return Tensor.concat(checked(inputs), axis);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("axis", axis);
        return config;
    }

    static Concatenate fromConfig(Map<String, Object> config) {
        return new Concatenate(new ConfigReader("Concatenate.fromConfig", config).integer("axis", -1));
    }

    /**
     * Keras' Concatenate {@code compute_mask}: each input's mask spread over its own last axis (all true for an input
     * without), joined along the concatenation axis, then reduced with ANY over the last axis. Joining features
     * (axis -1) so keeps a step real when any input has it real.
     */
    @Override
    public Tensor computeMask(List<Tensor> inputs, List<Tensor> masks) {
        if (!Masks.anyMask(masks)) {
            return null;
        }
        List<INDArray> spread = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            long[] shape = inputs.get(i).shape();
            Tensor m = masks.get(i);
            INDArray b;
            if (m == null) {
                b = Nd4j.ones(DataType.FLOAT, shape);
            } else {
                b = Masks.bool(m).castTo(DataType.FLOAT);
                if (b.rank() == shape.length - 1) {
                    long[] column = Arrays.copyOf(b.shape(), shape.length);
                    column[shape.length - 1] = 1;
                    b = b.reshape(column).broadcast(shape);
                }
                if (!Arrays.equals(b.shape(), shape)) {
                    throw new IllegalArgumentException(describe() + ": input " + i + " of shape " + Shapes.format(shape)
                            + " has a mask of shape " + Shapes.format(m.shape()) + "; a mask covers the input's "
                            + "shape or all its axes but the last");
                }
            }
            spread.add(b);
        }
        int a = axis < 0 ? axis + inputs.get(0).rank() : axis;
        INDArray joined = Nd4j.concat(a,
                spread.toArray(new INDArray[0]));
        return Tensor.of(joined.max(joined.rank() - 1).neq(0));
    }
}
