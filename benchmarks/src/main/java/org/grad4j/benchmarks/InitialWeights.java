package org.grad4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The starting weights of a stack of dense layers, given to both sides, so that their losses start at the
 * same value and can be compared step for step: Glorot-uniform kernels {@code [in, out]} (the default of
 * Keras and of DL4J's XAVIER_UNIFORM) and zero biases.
 *
 * @param kernels one per layer
 * @param biases  one {@code [out]} vector per layer, or null when the layers have no bias
 */
record InitialWeights(List<INDArray> kernels, List<INDArray> biases) {

    /** @param widths layer widths, input first: {@code 784, 256, 256, 10} */
    static InitialWeights glorotUniform(long seed, boolean withBias, int... widths) {
        SplittableRandom random = new SplittableRandom(seed);
        List<INDArray> kernels = new ArrayList<>();
        List<INDArray> biases = withBias ? new ArrayList<>() : null;
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            double limit = Math.sqrt(6.0 / (in + out));
            float[] k = new float[in * out];
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) (limit * (2 * random.nextDouble() - 1));
            }
            kernels.add(Nd4j.create(k, new long[] {in, out}, 'c'));
            if (withBias) {
                biases.add(Nd4j.zeros(DataType.FLOAT, out));
            }
        }
        return new InitialWeights(kernels, biases);
    }

    int layers() {
        return kernels.size();
    }

    /** In Keras' {@code get_weights} order: kernel, bias, kernel, bias ... (copies). */
    List<INDArray> kerasOrder() {
        List<INDArray> out = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            out.add(kernels.get(l).dup());
            if (biases != null) {
                out.add(biases.get(l).dup());
            }
        }
        return out;
    }

    /** The number of kernel entries, for the "6 × weights × batch" FLOP count. */
    long kernelEntries() {
        long n = 0;
        for (INDArray k : kernels) {
            n += k.length();
        }
        return n;
    }
}
