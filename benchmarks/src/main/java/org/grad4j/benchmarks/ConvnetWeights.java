package org.grad4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * W7's starting weights in Keras' layouts, given to both sides: the two conv kernels {@code [kh, kw, in, filters]}
 * and the dense kernel {@code [1600, 10]} whose rows follow Keras' channels_last flatten ({@code (h, w, c)}),
 * Glorot-uniform (Keras' default; for a conv, fans are {@code kh·kw·in} and {@code kh·kw·filters}), biases zero.
 * DL4J reads the same numbers in its own layouts: kernels {@code [filters, in, kh, kw]} and dense rows in NCHW's
 * flatten order {@code (c, h, w)}.
 */
record ConvnetWeights(INDArray conv1, INDArray conv2, INDArray dense) {
    static final int FILTERS1 = 32;
    static final int FILTERS2 = 64;
    static final int KERNEL = 3;
    /** The last pooling's output side: 28 → conv 26 → pool 13 → conv 11 → pool 5. */
    static final int POOLED = 5;
    static final int FLAT = POOLED * POOLED * FILTERS2;

    static ConvnetWeights glorotUniform(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new ConvnetWeights(uniform(random, KERNEL * KERNEL, new long[] {KERNEL, KERNEL, 1, FILTERS1}),
                uniform(random, KERNEL * KERNEL, new long[] {KERNEL, KERNEL, FILTERS1, FILTERS2}),
                uniform(random, 1, new long[] {FLAT, FashionData.CLASSES}));
    }

    /** {@code fan_in + fan_out = receptive · (in + out)}, the last two axes being in and out. */
    private static INDArray uniform(SplittableRandom random, int receptive, long[] shape) {
        long in = shape[shape.length - 2];
        long out = shape[shape.length - 1];
        double limit = Math.sqrt(6.0 / (receptive * (in + out)));
        float[] v = new float[Math.toIntExact(receptive * in * out)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (limit * (2 * random.nextDouble() - 1));
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** Keras' {@code get_weights} order for Conv2D, Conv2D, Dense: kernel, bias each (copies). */
    List<INDArray> kerasOrder() {
        List<INDArray> out = new ArrayList<>();
        for (INDArray k : List.of(conv1, conv2, dense)) {
            out.add(k.dup());
            out.add(Nd4j.zeros(DataType.FLOAT, k.size(k.rank() - 1)));
        }
        return out;
    }

    /** A conv kernel as DL4J holds it: {@code [filters, in, kh, kw]}. */
    static INDArray dl4jKernel(INDArray keras) {
        return keras.permute(3, 2, 0, 1).dup('c');
    }

    /** The dense kernel with its rows in NCHW's flatten order {@code (c, h, w)}. */
    INDArray dl4jDense() {
        return dense.reshape('c', POOLED, POOLED, FILTERS2, FashionData.CLASSES).permute(2, 0, 1, 3).dup('c')
                .reshape('c', FLAT, FashionData.CLASSES);
    }
}
