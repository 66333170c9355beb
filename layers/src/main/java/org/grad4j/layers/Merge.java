package org.grad4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Keras' Merge: a layer of several inputs, called with a list ({@link #call(List, boolean)}, {@link #apply(List)}).
 * The element-wise merges ({@link Add}, {@link Subtract}, {@link Multiply}, {@link Average}, {@link Maximum})
 * broadcast their inputs as NumPy does; {@link Concatenate} joins them along an axis.
 */
public abstract class Merge extends Layer {

    /** The merge of {@code inputs} (at least one), each {@code [batch, ...]}. */
    public abstract Tensor call(List<Tensor> inputs, boolean training);

    /** A merge needs a list: use {@link #call(List, boolean)}. */
    @Override
    public Tensor call(Tensor inputs, boolean training) {
        throw new IllegalArgumentException(describe() + ": a merge layer takes a list of inputs; call it with "
                + "call(List.of(a, b), training) or apply(List.of(a, b)), got one tensor of shape " + Shapes.format(inputs.shape()));
    }

    /** Keras' {@code __call__} with a list: checks the inputs, builds on first use and merges. */
    public final Tensor apply(List<Tensor> inputs, boolean training) {
        if (inputs != null && Symbolic.any(inputs)) {
            return Symbolic.call(this, Symbolic.all(this, inputs), CallKind.LIST).get(0);
        }
        Tensor out = call(inputs, training);
        List<Tensor> masks = inputs == null ? List.of() : Masks.of(inputs);
        if (Masks.anyMask(masks) && Masks.of(out) == null) {
            Tensor outMask = computeMask(inputs, masks);
            if (outMask != null) {
                Masks.attach(out, outMask);
            }
        }
        return out;
    }

    /** Keras' merges support masking: the output's mask comes from the inputs' ({@link #computeMask(List, List)}). */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    /**
     * Keras' {@code compute_mask} of a merge: the AND of the inputs' masks that exist (null for an input without);
     * null when no input has one.
     */
    public Tensor computeMask(List<Tensor> inputs, List<Tensor> masks) {
        return Masks.and(this, masks);
    }

    /** Inference: {@code apply(inputs, false)}. */
    public final Tensor apply(List<Tensor> inputs) {
        return apply(inputs, false);
    }

    /** The output batch shape for inputs of {@code shapes}. */
    public long[] computeOutputShape(List<long[]> shapes) {
        checkShapes(shapes);
        long[] out = shapes.get(0);
        for (long[] s : shapes.subList(1, shapes.size())) {
            out = broadcast(out, s, shapes);
        }
        return out;
    }

    /**
     * Checks the inputs before anything changes: at least {@link #minInputs()}, no more than {@link #maxInputs()},
     * one data type, and shapes the merge accepts (for element-wise merges: shapes that broadcast).
     */
    protected void checkShapes(List<long[]> shapes) {
        if (shapes.size() < minInputs() || shapes.size() > maxInputs()) {
            String expected = minInputs() == maxInputs() ? "exactly " + minInputs() : "at least " + minInputs();
            throw new IllegalArgumentException(describe() + ": needs " + expected + " inputs, got " + shapes.size()
                    + " " + format(shapes));
        }
        long[] out = shapes.get(0);
        for (long[] s : shapes.subList(1, shapes.size())) {
            out = broadcast(out, s, shapes);
        }
    }

    private long[] broadcast(long[] a, long[] b, List<long[]> all) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (x == y || y == 1) {
                out[i] = x;
            } else if (x == 1) {
                out[i] = y;
            } else if (x == -1 || y == -1) {
                out[i] = Math.max(x, y);
            } else {
                throw new IllegalArgumentException(describe() + ": inputs of shapes " + format(all)
                        + " cannot be merged: they must have the same shape or broadcast");
            }
        }
        return out;
    }

    protected int minInputs() {
        return 1;
    }

    protected int maxInputs() {
        return Integer.MAX_VALUE;
    }

    protected static List<long[]> shapes(List<Tensor> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        List<long[]> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            shapes.add(Objects.requireNonNull(t, "an input is null").shape());
        }
        return shapes;
    }

    static String format(List<long[]> shapes) {
        StringBuilder b = new StringBuilder("[");
        for (long[] s : shapes) {
            b.append(b.length() == 1 ? "" : ", ").append(Shapes.format(s));
        }
        return b.append(']').toString();
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        return inputShape.clone();
    }

    @Override
    public Merge name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public Merge dtype(DataType dtype) {
        super.dtype(dtype);
        return this;
    }

    /** The inputs, checked ({@link #checkShapes}, one data type), with the layer built on first use. */
    protected final List<Tensor> checked(List<Tensor> inputs) {
        checkShapes(shapes(inputs));
        if (!isBuilt()) {
            build(inputs.get(0).shape());
        }
        DataType type = inputs.get(0).dataType();
        for (Tensor t : inputs) {
            if (t.dataType() != type) {
                throw new IllegalArgumentException(describe() + ": inputs must share one data type, got "
                        + Arrays.toString(inputs.stream().map(Tensor::dataType).toArray()) + " for shapes " + format(shapes(inputs)));
            }
        }
        return inputs;
    }
}
