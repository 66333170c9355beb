package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;

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
}
