package org.grad4j.models;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Several arrays of one sample count side by side in one {@code [N, width]} array, each sample's values flattened
 * in row-major order: how a functional model with several inputs or outputs goes through the one-array training
 * loop (batching, shuffling, validation split, callbacks) unchanged. The unpacking of tensors is recorded, so
 * gradients flow back through it to each input and output.
 */
final class Packing {
    private final List<long[]> sampleShapes;
    private final long[] offsets;
    private final long width;
    /** Why these arrays cannot be packed (a per-sample dimension unknown), or null when they can. */
    private final String unknown;

    private Packing(List<long[]> sampleShapes) {
        this(sampleShapes, null);
    }

    private Packing(List<long[]> sampleShapes, String unknown) {
        this.unknown = unknown;
        this.sampleShapes = sampleShapes.stream().map(long[]::clone).toList();
        this.offsets = new long[sampleShapes.size() + 1];
        for (int i = 0; i < sampleShapes.size(); i++) {
            offsets[i + 1] = offsets[i] + size(sampleShapes.get(i));
        }
        this.width = offsets[sampleShapes.size()];
    }

    /**
     * For per-sample shapes (no batch dimension). With a dimension unknown (a sequence of any length) the arrays
     * cannot be packed: every use then fails, naming it, while the model itself works on lists of tensors.
     */
    static Packing of(String where, List<String> names, List<long[]> sampleShapes) {
        for (int i = 0; i < sampleShapes.size(); i++) {
            for (long d : sampleShapes.get(i)) {
                if (d < 0) {
                    return new Packing(sampleShapes, where + ": \"" + names.get(i) + "\" has per-sample shape "
                            + Shapes.format(sampleShapes.get(i)) + " with an unknown dimension; a model of several inputs or "
                            + "outputs is fitted, evaluated and predicted on arrays of known per-sample shapes (call(List, "
                            + "training) takes any)");
                }
            }
        }
        return new Packing(sampleShapes);
    }

    boolean known() {
        return unknown == null;
    }

    private void requireKnown() {
        if (unknown != null) {
            throw new IllegalArgumentException(unknown);
        }
    }

    /** The per-sample shapes of arrays {@code [N, ...]}. */
    static Packing ofArrays(List<INDArray> arrays) {
        List<long[]> shapes = new ArrayList<>();
        for (INDArray a : arrays) {
            long[] s = a.shape();
            shapes.add(java.util.Arrays.copyOfRange(s, 1, s.length));
        }
        return new Packing(shapes);
    }

    int count() {
        return sampleShapes.size();
    }

    long width() {
        requireKnown();
        return width;
    }

    long[] sampleShape(int i) {
        return sampleShapes.get(i).clone();
    }

    INDArray pack(List<INDArray> arrays, DataType type) {
        requireKnown();
        long n = arrays.get(0).size(0);
        INDArray out = Nd4j.create(type, n, width);
        for (int i = 0; i < arrays.size(); i++) {
            INDArray a = arrays.get(i);
            INDArray flat = a.castTo(type).dup('c').reshape('c', n, offsets[i + 1] - offsets[i]);
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(offsets[i], offsets[i + 1])).assign(flat);
        }
        return out;
    }

    List<INDArray> unpack(INDArray packed) {
        requireKnown();
        List<INDArray> out = new ArrayList<>();
        long n = packed.size(0);
        for (int i = 0; i < count(); i++) {
            INDArray block = packed.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(offsets[i], offsets[i + 1])).dup('c');
            out.add(block.reshape('c', batchShape(n, i)));
        }
        return out;
    }

    Tensor pack(List<Tensor> tensors) {
        requireKnown();
        List<Tensor> flat = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            flat.add(t.reshape(t.shape()[0], offsets[i + 1] - offsets[i]));
        }
        return flat.size() == 1 ? flat.get(0) : Tensor.concat(flat, 1);
    }

    /** Array {@code i} of {@code packed}, alone. */
    Tensor unpack(Tensor packed, int i) {
        requireWidth(packed);
        Tensor block = count() == 1 ? packed : packed.slice(1, offsets[i], offsets[i + 1]);
        return block.reshape(batchShape(packed.shape()[0], i));
    }

    private void requireWidth(Tensor packed) {
        requireKnown();
        if (packed.rank() != 2 || packed.shape()[1] != width) {
            throw new IllegalArgumentException("expected the packed arrays [batch, " + width + "], got "
                    + Shapes.format(packed.shape()));
        }
    }

    List<Tensor> unpack(Tensor packed) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < count(); i++) {
            out.add(unpack(packed, i));
        }
        return out;
    }

    private long[] batchShape(long n, int i) {
        long[] s = sampleShapes.get(i);
        long[] out = new long[s.length + 1];
        out[0] = n;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
