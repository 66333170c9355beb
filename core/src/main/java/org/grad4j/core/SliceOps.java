package org.grad4j.core;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cutting a tensor along one axis and joining tensors along one: slice, concat, stack, unstack. Slice's gradient
 * pads with zeros back to the input's shape and concat's gradient slices, so each is the other's backward and second
 * derivatives come for free. Every op views the tensor as {@code [outer, axis, inner]} blocks in row-major order.
 */
final class SliceOps {
    private SliceOps() {
    }

    /** {@code x[..., start:end, ...]} along {@code axis}. */
    static Tensor slice(Tensor x, int axis, long start, long end) {
        int a = Shapes.normalizeAxis("slice", axis, x.rank());
        long[] in = x.shape();
        if (start < 0 || end > in[a] || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is outside axis " + axis
                    + " of length " + in[a] + " (shape " + Shapes.format(in) + ")");
        }
        if (start == 0 && end == in[a]) {
            return x;
        }
        long[] shape = in.clone();
        shape[a] = end - start;
        Tensor out = output(x.dataType(), shape, false);
        if (out == null || !copy(x, in, a, start, out, shape, 0, end - start)) {
            out = new Tensor(x.array().get(range(in.length, a, start, end)).dup('c'));
        }
        return Graph.record(out, "Slice", x, g -> pad(g, a, start, in[a] - end));
    }

    /** {@code x} with {@code before} and {@code after} zeros along {@code axis}: slice's gradient. */
    static Tensor pad(Tensor x, int axis, long before, long after) {
        long[] in = x.shape();
        long[] shape = in.clone();
        shape[axis] = in[axis] + before + after;
        Tensor out = output(x.dataType(), shape, true);
        if (out == null || !copy(x, in, axis, 0, out, shape, before, in[axis])) {
            INDArray result = Nd4j.zeros(x.dataType(), shape);
            result.get(range(shape.length, axis, before, before + in[axis])).assign(x.array());
            out = new Tensor(result);
        }
        return Graph.record(out, "Pad", x, g -> slice(g, axis, before, before + in[axis]));
    }

    /** The tensors joined along {@code axis}; all other dimensions and the data type must agree. */
    static Tensor concat(List<Tensor> parts, int axis) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("concat: needs at least one tensor, got none");
        }
        Tensor first = parts.get(0);
        int a = Shapes.normalizeAxis("concat", axis, first.rank());
        long[] shape = first.shape().clone();
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            long[] s = p.shape();
            boolean compatible = s.length == shape.length && p.dataType() == first.dataType();
            for (int d = 0; compatible && d < s.length; d++) {
                compatible = d == a || s[d] == shape[d];
            }
            if (!compatible) {
                throw new IllegalArgumentException("concat: along axis " + axis + " every tensor must match "
                        + first.dataType() + " " + Shapes.format(shape) + " except on that axis, but tensor " + i + " is "
                        + p.dataType() + " " + Shapes.format(s) + " (shapes: " + String.join(", ",
                        parts.stream().map(t -> Shapes.format(t.shape())).toList()) + ")");
            }
            total += s[a];
        }
        if (parts.size() == 1) {
            return first;
        }
        shape[a] = total;
        Tensor out = output(first.dataType(), shape, false);
        long offset = 0;
        for (Tensor p : parts) {
            long length = p.shape()[a];
            if (out != null && !copy(p, p.shape(), a, 0, out, shape, offset, length)) {
                out = null;   // a part Java cannot read: ND4J joins them all
            }
            offset += length;
        }
        if (out == null) {
            INDArray result = Nd4j.createUninitialized(first.dataType(), shape);
            offset = 0;
            for (Tensor p : parts) {
                long length = p.shape()[a];
                result.get(range(shape.length, a, offset, offset + length)).assign(p.array());
                offset += length;
            }
            out = new Tensor(result);
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        Vjp[] vjps = new Vjp[inputs.length];
        long position = 0;
        for (int i = 0; i < inputs.length; i++) {
            long from = position;
            long to = position + inputs[i].shape()[a];
            vjps[i] = g -> slice(g, a, from, to);
            position = to;
        }
        return Graph.record(out, "Concat", inputs, vjps);
    }

    /** The tensors, all of one shape, stacked along a new {@code axis}. */
    static Tensor stack(List<Tensor> parts, int axis) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("stack: needs at least one tensor, got none");
        }
        long[] shape = parts.get(0).shape();
        int a = Shapes.normalizeAxis("stack", axis, shape.length + 1);
        List<Tensor> expanded = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            if (!java.util.Arrays.equals(p.shape(), shape)) {
                throw new IllegalArgumentException("stack: every tensor must have shape " + Shapes.format(shape)
                        + ", but tensor " + i + " has " + Shapes.format(p.shape()));
            }
            expanded.add(p.expandDims(a));
        }
        return concat(expanded, a);
    }

    /**
     * The slices along {@code axis}, each without that axis. Cut by halving: a slice's gradient is padded to its
     * parent's length, so the gradients of all n slices cost n log n elements of work rather than the n² of
     * padding each one to the full length (what a loop over time steps would otherwise pay).
     */
    static List<Tensor> unstack(Tensor x, int axis) {
        int a = Shapes.normalizeAxis("unstack", axis, x.rank());
        List<Tensor> out = new ArrayList<>((int) x.shape()[a]);
        halve(x, a, out);
        return out;
    }

    private static void halve(Tensor x, int axis, List<Tensor> out) {
        long n = x.shape()[axis];
        if (n == 1) {
            out.add(x.squeeze(axis));
            return;
        }
        long mid = n / 2;
        halve(slice(x, axis, 0, mid), axis, out);
        halve(slice(x, axis, mid, n), axis, out);
    }

    private static INDArrayIndex[] range(int rank, int axis, long start, long end) {
        INDArrayIndex[] index = new INDArrayIndex[rank];
        for (int d = 0; d < rank; d++) {
            index[d] = d == axis ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
        }
        return index;
    }

    /**
     * Where a result is written by Java: a small tensor's array, or the native memory of a new float32 ND4J array.
     * Null in nd4j mode and for other types, which take ND4J's indexed views instead.
     */
    private static Tensor output(DataType type, long[] shape, boolean zeroed) {
        if (!Kernels.JAVA || type != DataType.FLOAT) {
            return null;
        }
        long size = Shapes.size(shape);
        if (Kernels.keepsSmall(size)) {
            return new Tensor(new float[(int) size], shape);
        }
        return new Tensor(zeroed ? Nd4j.zeros(DataType.FLOAT, shape) : Nd4j.createUninitialized(DataType.FLOAT, shape));
    }

    /**
     * Copies {@code length} positions along {@code axis}, from {@code fromStart} of {@code from} to {@code toStart}
     * of {@code to} (made by {@link #output}), for every outer and inner index, one bulk copy per outer index; the
     * shapes differ only along {@code axis}. False, copying nothing, when Java cannot read {@code from} (not float32,
     * or an ND4J view that is not one row-major block).
     */
    private static boolean copy(Tensor from, long[] fromShape, int axis, long fromStart, Tensor to, long[] toShape,
            long toStart, long length) {
        float[] fromValues = from.isSmallBacked() ? from.smallValues() : null;
        FloatBuffer fromBuffer = fromValues == null ? FloatLoops.floats(from.array()) : null;
        if (fromValues == null && fromBuffer == null) {
            return false;
        }
        float[] toValues = to.isSmallBacked() ? to.smallValues() : null;
        FloatBuffer toBuffer = toValues == null ? FloatLoops.floats(to.array()) : null;
        int inner = 1;
        for (int d = axis + 1; d < fromShape.length; d++) {
            inner *= (int) fromShape[d];
        }
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= (int) fromShape[d];
        }
        int fromStride = (int) fromShape[axis] * inner;
        int toStride = (int) toShape[axis] * inner;
        int block = (int) length * inner;
        for (int o = 0; o < outer; o++) {
            int f = o * fromStride + (int) fromStart * inner;
            int t = o * toStride + (int) toStart * inner;
            if (fromValues != null && toValues != null) {
                System.arraycopy(fromValues, f, toValues, t, block);
            } else if (fromValues != null) {
                toBuffer.put(t, fromValues, f, block);
            } else if (toValues != null) {
                fromBuffer.get(f, toValues, t, block);
            } else {
                toBuffer.put(t, fromBuffer, f, block);
            }
        }
        return true;
    }
}
