package org.grad4j.benchmarks;

import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The floor under one training step of an MLP: only its matrix products, as raw ND4J GEMMs into arrays
 * allocated once. Forward, one GEMM per layer ({@code a[l+1] = a[l]·W[l]}); backward, per layer
 * {@code dW[l] = a[l]ᵀ·g[l]} and, except for the first layer, {@code g[l-1] = g[l]·W[l]ᵀ}. No activation,
 * loss, bias or update: a framework cannot do a step in less than this.
 */
final class GemmFloor implements Side {
    private final INDArray[] kernels;
    private final INDArray[] kernelGradients;
    private final INDArray[] activations;
    private final INDArray[] outputGradients;

    /** @param widths layer widths, input first: {@code 784, 256, 256, 10} */
    GemmFloor(int batchSize, int... widths) {
        int layers = widths.length - 1;
        SplittableRandom random = new SplittableRandom(7);
        kernels = new INDArray[layers];
        kernelGradients = new INDArray[layers];
        activations = new INDArray[layers + 1];
        outputGradients = new INDArray[layers];
        activations[0] = Seeds.uniform(random, new long[] {batchSize, widths[0]}, 0, 1);
        for (int l = 0; l < layers; l++) {
            // small non-zero values everywhere: no denormals, no all-zero shortcut in the BLAS
            kernels[l] = Seeds.uniform(random, new long[] {widths[l], widths[l + 1]}, -0.05, 0.05);
            kernelGradients[l] = Nd4j.zeros(DataType.FLOAT, widths[l], widths[l + 1]);
            activations[l + 1] = Nd4j.zeros(DataType.FLOAT, batchSize, widths[l + 1]);
            outputGradients[l] = Seeds.uniform(random, new long[] {batchSize, widths[l + 1]}, -0.05, 0.05);
        }
    }

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public void run(int steps) {
        Environment.configure();   // the run's BLAS threads, whatever grad4j last chose for its own products
        int layers = kernels.length;
        for (int s = 0; s < steps; s++) {
            for (int l = 0; l < layers; l++) {
                Nd4j.gemm(activations[l], kernels[l], activations[l + 1], false, false, 1.0, 0.0);
            }
            for (int l = layers - 1; l >= 0; l--) {
                Nd4j.gemm(activations[l], outputGradients[l], kernelGradients[l], true, false, 1.0, 0.0);
                if (l > 0) {
                    Nd4j.gemm(outputGradients[l], kernels[l], outputGradients[l - 1], false, true, 1.0, 0.0);
                }
            }
        }
    }

    // the arrays after the last step, to check that the floor computes what it claims

    INDArray kernel(int l) {
        return kernels[l];
    }

    INDArray kernelGradient(int l) {
        return kernelGradients[l];
    }

    /** {@code a[0]} is the input, {@code a[l+1]} layer l's output. */
    INDArray activation(int l) {
        return activations[l];
    }

    /** The gradient with respect to layer l's output. */
    INDArray outputGradient(int l) {
        return outputGradients[l];
    }
}
